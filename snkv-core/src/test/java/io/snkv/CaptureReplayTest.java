package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxFileName;
import io.snkv.ltx.LtxHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded random workload on database A with change capture on; the captured LTX files, applied in
 * order to a database B restored from the first one, must reproduce A byte for byte, and after every
 * file B's recomputed checksum must be the file's post-apply checksum. Seed printed; rerun with
 * {@code -Dsnkv.seed=<seed>}.
 */
class CaptureReplayTest {
    private static final long BASE_SEED = TestSeed.resolve("CaptureReplayTest");

    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(JournalMode.WAL, 4096, 2500, 0),
                Arguments.of(JournalMode.DELETE, 1024, 1200, 1),
                Arguments.of(JournalMode.WAL, 512, 1200, 2),
                Arguments.of(JournalMode.WAL, 65536, 400, 3));
    }

    @ParameterizedTest(name = "{0}, page size {1}, {2} transactions")
    @MethodSource("modes")
    void capturedFilesReplayToAnIdenticalDatabase(JournalMode mode, int pageSize, int transactions, int index)
            throws IOException {
        long seed = TestSeed.derive(BASE_SEED, index);
        System.out.println("[CaptureReplayTest] " + mode + " page size " + pageSize + " seed " + seed
                + " (-Dsnkv.seed=" + BASE_SEED + ")");
        Random rnd = new Random(seed);
        RandomPayloads payloads = new RandomPayloads(rnd, pageSize);
        Path data = dir.resolve("data");
        Path a = dir.resolve("a.db");
        KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).pageSize(pageSize).changeCapture(data)
                .walSizeLimit(rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(50)).build();
        TreeMap<byte[], byte[]> model = new TreeMap<>(java.util.Arrays::compareUnsigned);
        List<byte[]> keys = new ArrayList<>();
        long commits = 1; // the file's creation
        try (KVStore s = KVStore.open(a, cfg)) {
            for (int txn = 0; txn < transactions; txn++) {
                int ops = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 200 : 8);
                boolean shrinkPhase = (txn / 300) % 2 == 1;
                s.begin(true);
                boolean changed = false;
                for (int op = 0; op < ops; op++) {
                    int r = rnd.nextInt(100);
                    if (!keys.isEmpty() && (r < (shrinkPhase ? 60 : 20))) {
                        byte[] k = keys.get(rnd.nextInt(keys.size()));
                        changed |= s.delete(k);
                        model.remove(k);
                    } else {
                        byte[] k = rnd.nextInt(4) == 0 && !keys.isEmpty() ? keys.get(rnd.nextInt(keys.size()))
                                : payloads.key(1000);
                        byte[] v = rnd.nextInt(50) == 0 ? payloads.hugeValue(rnd.nextInt(6 * pageSize))
                                : payloads.value(k.length, true);
                        s.put(k, v);
                        if (model.put(k, v) == null) {
                            keys.add(k);
                        }
                        changed = true;
                    }
                }
                keys.removeIf(k -> !model.containsKey(k));
                if (rnd.nextInt(20) == 0) {
                    s.rollback();
                    // the model keeps what was committed: reload the changed keys
                    model.clear();
                    try (KVIterator it = s.iterator()) {
                        for (boolean ok = it.first(); ok; ok = it.next()) {
                            model.put(it.key(), it.value());
                        }
                    }
                    keys.clear();
                    keys.addAll(model.keySet());
                    continue;
                }
                s.commit();
                if (changed) {
                    commits++;
                }
                if (shrinkPhase && rnd.nextInt(25) == 0) {
                    s.incrementalVacuum(rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(20));
                }
                if (txn == transactions - 20) {
                    // Always some shrinkage: most keys go, then every free page.
                    s.begin(true);
                    for (int i = 0; i < keys.size(); i += 1 + (i % 3 == 0 ? 0 : 1)) {
                        s.delete(keys.get(i));
                        model.remove(keys.get(i));
                    }
                    s.commit();
                    keys.removeIf(k -> !model.containsKey(k));
                    s.incrementalVacuum(0);
                    commits += 2;
                }
                if (rnd.nextInt(200) == 0) {
                    s.checkpoint(CheckpointMode.values()[rnd.nextInt(CheckpointMode.values().length)]);
                }
                if (txn % 97 == 0) {
                    assertThat(s.capturePosition().orElseThrow().checksum()).as("position after txn " + txn)
                            .isEqualTo(s.checksum());
                }
            }
            assertThat(s.capturePosition().orElseThrow().txid()).isGreaterThanOrEqualTo(commits / 2);
        }
        Path ltxDir = data.resolve("dbs").resolve("a.db").resolve("ltx");
        List<Path> files = logFiles(ltxDir);
        assertThat(files).isNotEmpty();
        assertThat(files.get(0).getFileName().toString()).isEqualTo(LtxFileName.format(1, 1));

        Path b = dir.resolve("b.db");
        // B keeps a log of its own, as a replica does: files are checked against its position, not by
        // reading the whole database each time.
        KVStoreConfig bcfg = KVStoreConfig.builder().journalMode(mode).pageSize(pageSize)
                .changeCapture(dir.resolve("data-b")).build();
        LtxPosition p;
        boolean restore = index % 2 == 0;
        if (restore) {
            p = KVStore.restoreSnapshot(files.get(0), b);
        } else {
            p = null;
        }
        try (KVStore s = KVStore.open(b, bcfg)) {
            if (!restore) {
                p = s.applyLtx(files.get(0)); // a snapshot replaces the new store's pages
            }
            assertThat(s.checksum()).isEqualTo(p.checksum());
            long txid = 1;
            int applied = 0;
            boolean shrank = false;
            long lastCommit = header(files.get(0)).commit();
            for (Path f : files.subList(1, files.size())) {
                LtxHeader h = header(f);
                assertThat(h.minTxid()).as(f.toString()).isEqualTo(txid + 1);
                assertThat(h.preApplyChecksum()).as(f.toString()).isEqualTo(p.checksum());
                // applyLtx recomputes the checksum from B's own pages and refuses a mismatch
                shrank |= h.commit() < lastCommit;
                lastCommit = h.commit();
                p = s.applyLtx(f);
                txid = h.maxTxid();
                assertThat(p.txid()).isEqualTo(txid);
                assertThat(p.checksum()).isEqualTo(trailerPostApply(f));
                if (++applied % 40 == 0) {
                    assertThat(s.checksum()).as("full recomputation after " + f.getFileName()).isEqualTo(p.checksum());
                }
            }
            assertThat(s.checksum()).as("full recomputation at the end").isEqualTo(p.checksum());
            assertThat(shrank).as("some transaction shrank the file (vacuum)").isTrue();
            assertThat(s.capturePosition()).contains(p);
            for (var e : model.entrySet()) {
                assertThat(s.get(e.getKey())).as("replayed value").hasValueSatisfying(v -> assertThat(v).isEqualTo(e.getValue()));
            }
            assertThat(s.count()).isEqualTo(model.size());
        }
        assertThat(Files.readAllBytes(b)).as("B, replayed, is byte-identical to A").isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readString(data.resolve("dbs/a.db/pos"))).isEqualTo(p + "\n");
    }

    static List<Path> logFiles(Path ltxDir) throws IOException {
        try (Stream<Path> s = Files.list(ltxDir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".ltx")).sorted().toList();
        }
    }

    static long trailerPostApply(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return java.nio.ByteBuffer.wrap(b, b.length - 16, 8).getLong();
    }

    static LtxHeader header(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return new LtxDecoder(in).header();
        }
    }
}
