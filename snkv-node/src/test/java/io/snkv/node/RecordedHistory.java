package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import io.snkv.ltx.LtxFileName;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Test support: a primary's history for one database, made by a seeded workload through a capturing store (no
 * node): the LTX file of every TXID (TXID 1, the database's creation, is the log's first snapshot), a snapshot of
 * every page at one TXID in the middle (what a primary sends a new replica), and the position and contents after
 * each TXID. A replica state can then be judged exactly: one of these positions with that position's contents.
 */
final class RecordedHistory {
    /** Index t: the log file of TXID t (index 0 unused). */
    private final List<Path> files;
    /** Index t: the position after TXID t (index 0: the zero position). */
    private final List<LtxPosition> positions;
    /** Index t: every key and value after TXID t. */
    private final List<TreeMap<String, byte[]>> contents;
    private final Path snapshot;
    private final int snapshotTxid;

    private RecordedHistory(List<Path> files, List<LtxPosition> positions, List<TreeMap<String, byte[]>> contents,
                            Path snapshot, int snapshotTxid) {
        this.files = files;
        this.positions = positions;
        this.contents = contents;
        this.snapshot = snapshot;
        this.snapshotTxid = snapshotTxid;
    }

    /**
     * Commits {@code commits} transactions of puts (some values spill to overflow pages) and deletes to a store
     * capturing into {@code dir}, remembering each one's position and contents, and writes a snapshot after the
     * commit that makes TXID {@code snapshotTxid}.
     */
    static RecordedHistory record(Path dir, Random rnd, int commits, int snapshotTxid) throws IOException {
        List<LtxPosition> positions = new ArrayList<>(List.of(LtxPosition.ZERO));
        List<TreeMap<String, byte[]>> contents = new ArrayList<>(List.of(new TreeMap<>()));
        TreeMap<String, byte[]> model = new TreeMap<>();
        Path capture = dir.resolve("capture");
        try (KVStore s = KVStore.open(dir.resolve("h.db"), KVStoreConfig.builder().changeCapture(capture).build())) {
            LtxPosition created = s.capturePosition().orElseThrow();
            if (created.txid() == 1) {
                // Creating the database was a commit of its own (the empty database's first page).
                positions.add(created);
                contents.add(new TreeMap<>());
            } else if (created.txid() != 0) {
                throw new IllegalStateException("a new database starts at " + created);
            }
            for (int t = 1; t <= commits; t++) {
                s.begin(true);
                for (int i = 0; i < 1 + rnd.nextInt(12); i++) {
                    String k = "k" + rnd.nextInt(60);
                    if (i > 0 && rnd.nextInt(5) == 0) { // every transaction puts at least once, so it commits
                        s.delete(k.getBytes(StandardCharsets.UTF_8));
                        model.remove(k);
                    } else {
                        byte[] v = new byte[rnd.nextInt(8) == 0 ? 5000 + rnd.nextInt(5000) : rnd.nextInt(200)];
                        rnd.nextBytes(v);
                        s.put(k.getBytes(StandardCharsets.UTF_8), v);
                        model.put(k, v);
                    }
                }
                s.commit();
                LtxPosition p = s.capturePosition().orElseThrow();
                if (p.txid() != positions.size()) {
                    throw new IllegalStateException("commit " + t + " got TXID " + p.txid() + ", expected " + positions.size());
                }
                positions.add(p);
                contents.add(new TreeMap<>(model));
                if (p.txid() == snapshotTxid) {
                    try (OutputStream out = Files.newOutputStream(dir.resolve("snapshot.ltx"))) {
                        if (!s.writeSnapshot(out).equals(p)) {
                            throw new IllegalStateException("the snapshot is not at " + p);
                        }
                    }
                }
            }
            if (!Files.exists(dir.resolve("snapshot.ltx"))) {
                throw new IllegalArgumentException("no commit made TXID " + snapshotTxid);
            }
            Path ltx = s.captureDirectory().orElseThrow();
            List<Path> files = new ArrayList<>(Collections.nCopies(positions.size(), (Path) null));
            try (Stream<Path> list = Files.list(ltx)) {
                for (Path p : (Iterable<Path>) list.filter(f -> f.toString().endsWith(".ltx"))::iterator) {
                    LtxFileName.TxidRange r = LtxFileName.parse(p.getFileName().toString());
                    if (r.minTxid() != (r.minTxid() == 1 ? 1 : r.maxTxid())) {
                        throw new IllegalStateException("expected one file per TXID, found " + p);
                    }
                    files.set((int) r.maxTxid(), p);
                }
            }
            if (files.subList(1, files.size()).contains(null)) {
                throw new IllegalStateException("a TXID has no log file in " + ltx + ": " + files);
            }
            return new RecordedHistory(files, positions, contents, dir.resolve("snapshot.ltx"), snapshotTxid);
        }
    }

    /** The highest TXID. */
    int lastTxid() {
        return positions.size() - 1;
    }

    LtxPosition position(int txid) {
        return positions.get(txid);
    }

    LtxPosition last() {
        return positions.get(lastTxid());
    }

    /** The log file of {@code txid}: a snapshot for TXID 1, else that commit's LTX file. */
    Path file(int txid) {
        return files.get(txid);
    }

    /** A snapshot file (min TXID 1) of every page at TXID {@link #snapshotTxid()}. */
    Path snapshot() {
        return snapshot;
    }

    int snapshotTxid() {
        return snapshotTxid;
    }

    TreeMap<String, byte[]> contents(int txid) {
        return contents.get(txid);
    }

    /** The TXID whose position {@code p} is, or -1 when {@code p} is not on this history. */
    int txidOf(LtxPosition p) {
        return positions.indexOf(p);
    }

    /**
     * Asserts that {@code name} on {@code replica} (served from {@code served}) is exactly at TXID {@code txid}: it
     * reports that position, its full checksum equals it, and every key holds that TXID's value (TXID 0: nothing
     * applied).
     */
    void assertAt(Node replica, Path served, String name, int txid, String what) {
        LtxPosition want = position(txid);
        assertThat(replica.position(name)).as(what + ": position (TXID " + txid + " expected)").isEqualTo(want);
        Path db = served.resolve(name);
        if (txid == 0) {
            assertThat(!Files.exists(db) || read(db).isEmpty()).as(what + ": nothing applied").isTrue();
            return;
        }
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            assertThat(s.checksum()).as(what + ": full checksum of the database").isEqualTo(want.checksum());
        }
        assertThat(differences(contents(txid), read(db))).as(what + ": keys whose values are not those of TXID " + txid)
                .isEmpty();
    }

    /** Every key and value of a database file, read in one transaction of a read-only store. */
    static TreeMap<String, byte[]> read(Path db) {
        TreeMap<String, byte[]> m = new TreeMap<>();
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build()); KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key(), StandardCharsets.UTF_8), it.value());
            }
        }
        return m;
    }

    /** Whether two contents are equal, values compared by bytes. */
    static boolean same(TreeMap<String, byte[]> a, TreeMap<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (var e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Keys whose values differ between two contents, for failure messages. */
    static List<String> differences(TreeMap<String, byte[]> want, TreeMap<String, byte[]> got) {
        List<String> out = new ArrayList<>();
        TreeMap<String, Boolean> keys = new TreeMap<>();
        want.keySet().forEach(k -> keys.put(k, true));
        got.keySet().forEach(k -> keys.put(k, true));
        for (String k : keys.keySet()) {
            if (!Arrays.equals(want.get(k), got.get(k))) {
                out.add(k + (want.containsKey(k) ? got.containsKey(k) ? " differs" : " missing" : " extra"));
            }
        }
        return out;
    }
}
