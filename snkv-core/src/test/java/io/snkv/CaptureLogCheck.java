package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.ltx.LtxHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Checks that a captured database and its change log agree: the files form one chain from a TXID 1
 * snapshot up to the recorded position (no gap, no duplicate, each pre-apply checksum the previous
 * post-apply one), the position's checksum is the database's recomputed checksum, and replaying the
 * chain into a new database reproduces every entry.
 */
final class CaptureLogCheck {
    private CaptureLogCheck() {
    }

    /** Opens {@code db} with capture (which finishes what a crash left), verifies, and returns the position. */
    static LtxPosition verify(Path db, Path data, KVStoreConfig cfg, Path scratch, String where) throws IOException {
        TreeMap<byte[], byte[]> content = new TreeMap<>(Arrays::compareUnsigned);
        LtxPosition pos;
        try (KVStore s = KVStore.open(db, cfg.toBuilder().changeCapture(data).build())) {
            pos = s.capturePosition().orElseThrow();
            assertThat(s.checksum()).as(where + ": database checksum vs position " + pos).isEqualTo(pos.checksum());
            try (KVIterator it = s.iterator()) {
                for (boolean ok = it.first(); ok; ok = it.next()) {
                    content.put(it.key(), it.value());
                }
            }
        }
        List<Path> files = CaptureReplayTest.logFiles(data.resolve("dbs").resolve(db.getFileName().toString()).resolve("ltx"));
        assertThat(files).as(where + ": log files").isNotEmpty();
        LtxHeader first = CaptureReplayTest.header(files.get(0));
        assertThat(first.minTxid()).as(where + ": first file " + files.get(0).getFileName()).isEqualTo(1);
        long txid = first.maxTxid();
        long post = CaptureReplayTest.trailerPostApply(files.get(0));
        for (Path f : files.subList(1, files.size())) {
            LtxHeader h = CaptureReplayTest.header(f);
            assertThat(h.minTxid()).as(where + ": " + f.getFileName() + " follows TXID " + txid).isEqualTo(txid + 1);
            assertThat(h.preApplyChecksum()).as(where + ": " + f.getFileName() + " pre-apply").isEqualTo(post);
            txid = h.maxTxid();
            post = CaptureReplayTest.trailerPostApply(f);
        }
        assertThat(new LtxPosition(txid, post)).as(where + ": the log's last file vs the position").isEqualTo(pos);

        Files.createDirectories(scratch);
        Path replay = Files.createTempDirectory(scratch, "replay");
        Path rdb = replay.resolve(db.getFileName().toString());
        // As a replica starts: a new store with a log of its own, the snapshot applied over it, then the rest.
        try (KVStore r = KVStore.open(rdb, cfg.toBuilder().pageSize(first.pageSize())
                .changeCapture(replay.resolve("data")).build())) {
            for (Path f : files) {
                r.applyLtx(f);
            }
            assertThat(r.capturePosition()).as(where + ": replayed position").contains(pos);
            assertThat(r.checksum()).as(where + ": replayed checksum").isEqualTo(pos.checksum());
            TreeMap<byte[], byte[]> replayed = new TreeMap<>(Arrays::compareUnsigned);
            try (KVIterator it = r.iterator()) {
                for (boolean ok = it.first(); ok; ok = it.next()) {
                    replayed.put(it.key(), it.value());
                }
            }
            assertThat(replayed.size()).as(where + ": replayed entries").isEqualTo(content.size());
            for (var e : content.entrySet()) {
                assertThat(replayed.get(e.getKey())).as(where + ": replayed value").isEqualTo(e.getValue());
            }
        }
        return pos;
    }
}
