package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snkv.internal.io.ByteRangeLocks;
import io.snkv.internal.io.FileStorage;
import io.snkv.internal.io.LockMode;
import io.snkv.internal.io.SharedMemory;
import io.snkv.internal.io.SqliteLockLayout;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wal-index against real SQLite (python3's sqlite3 module) in another process: we read the
 * {@code -shm} a live SQLite connection keeps, and SQLite reads a database through a {@code -shm} we
 * built.
 */
@Tag("interop")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WalIndexSqliteInteropTest {
    /**
     * Writes transactions into a WAL database and keeps the connection open: COMMIT lines give the
     * frame count (= the commit frame, since the log never restarts) after each commit, the
     * transaction number and the row count; then it obeys "spill", "rollback" and "quit" on stdin.
     */
    private static final String WRITER = """
            import os, sqlite3, sys
            db, page_size, target = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            blob = page_size * 3 // 5
            con = sqlite3.connect(db, isolation_level=None)
            con.execute("PRAGMA page_size=%d" % page_size)
            mode = con.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise SystemExit("journal_mode is " + mode)
            con.execute("PRAGMA wal_autocheckpoint=0")
            con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, txn INTEGER NOT NULL, v BLOB)")
            con.execute("CREATE TABLE c(k INTEGER PRIMARY KEY, n INTEGER)")
            con.execute("INSERT INTO c VALUES(1, 0)")
            wal = db + "-wal"
            def frames():
                return (os.path.getsize(wal) - 32) // (page_size + 24)
            def out(*a):
                print(*a, flush=True)
            def count():
                return con.execute("SELECT count(*) FROM t").fetchone()[0]
            txn = 0
            while frames() < target:
                txn += 1
                con.execute("BEGIN")
                for _ in range(8):
                    con.execute("INSERT INTO t(txn, v) VALUES(?, randomblob(?))", (txn, blob))
                if txn % 5 == 0:
                    con.execute("DELETE FROM t WHERE txn = ? AND id % 3 = 0", (txn - 2,))
                if txn % 7 == 0:
                    con.execute("UPDATE t SET v = randomblob(?) WHERE txn = ?", (blob // 2, txn - 4))
                con.execute("UPDATE c SET n = ? WHERE k = 1", (txn,))
                con.execute("COMMIT")
                out("COMMIT", frames(), txn, count())
            out("READY", frames(), txn, count(), sqlite3.sqlite_version)
            for line in sys.stdin:
                cmd = line.strip()
                if cmd == "spill":
                    con.execute("PRAGMA cache_size=5")
                    con.execute("BEGIN")
                    for _ in range(40):
                        con.execute("INSERT INTO t(txn, v) VALUES(-1, randomblob(?))", (blob,))
                    out("SPILLED", frames())
                elif cmd == "rollback":
                    con.execute("ROLLBACK")
                    out("ROLLEDBACK", frames())
                elif cmd == "quit":
                    break
            con.close()
            out("BYE")
            """;

    /** Opens the database, checks it, and reports what it sees. */
    private static final String READER = """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            ic = con.execute("PRAGMA integrity_check").fetchone()[0]
            count, mx = con.execute("SELECT count(*), coalesce(max(txn), 0) FROM t").fetchone()
            n = con.execute("SELECT n FROM c").fetchone()[0]
            print("RESULT", ic.replace(" ", "_"), count, mx, n, flush=True)
            con.close()
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        assumeTrue(PythonProcess.sqliteAvailable(), "python3 with sqlite3 is not installed");
    }

    private Path script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A COMMIT line of the writer. */
    private record Commit(int frame, int txn, int count) {
        static Commit of(String line) {
            String[] w = line.split(" ");
            return new Commit(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]));
        }
    }

    private static List<Commit> commits(List<String> lines) {
        List<Commit> c = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("COMMIT ")) {
                c.add(Commit.of(l));
            }
        }
        return c;
    }

    private static void assertSameIndexBlocks(ShmAccess a, ShmAccess b, int regions) {
        byte[] x = new byte[WalIndexFormat.REGION_SIZE];
        byte[] y = new byte[WalIndexFormat.REGION_SIZE];
        for (int r = 0; r < regions; r++) {
            a.read((long) r * x.length, x, 0, x.length);
            b.read((long) r * y.length, y, 0, y.length);
            for (int i = r == 0 ? WalIndexFormat.HEADER_SIZE : 0; i < x.length; i++) {
                if (x[i] != y[i]) {
                    throw new AssertionError("index block " + r + " differs at byte " + i + " of its region: "
                            + x[i] + " in " + a.path() + ", " + y[i] + " in " + b.path());
                }
            }
        }
    }

    private static void assertFindAgrees(WalIndexHashTable index, ScannedWal scan, int mx, int min) throws IOException {
        Map<Integer, Integer> latest = scan.latest(mx, min);
        for (int p = 1, top = scan.maxPgno() + 3; p <= top; p++) {
            int expected = latest.getOrDefault(p, 0);
            int got = index.find(p, mx, min);
            if (got != expected) {
                throw new AssertionError("page " + p + " at mxFrame " + mx + " from " + min + ": index says frame "
                        + got + ", the WAL says " + expected);
            }
        }
    }

    @ParameterizedTest(name = "page size {0}, {1} frames")
    @CsvSource({"512, 8400", "65536, 30"})
    void liveSqliteIndexIsReadAsTheWalSays(int pageSize, int targetFrames) throws Exception {
        Path db = dir.resolve("live.db");
        try (PythonProcess py = new PythonProcess(script("writer.py", WRITER), db.toString(),
                Integer.toString(pageSize), Integer.toString(targetFrames))) {
            List<String> out = py.readUntil("READY");
            List<Commit> commits = commits(out);
            int readyFrames = Integer.parseInt(out.get(out.size() - 1).split(" ")[1]);

            try (MappedShm shm = MappedShm.open(Path.of(db + "-shm"), true)) {
                WalIndexHeader h = WalIndexHeader.read(shm);
                ScannedWal scan = ScannedWal.parse(Files.readAllBytes(Path.of(db + "-wal")));
                int mx = scan.mxFrame();

                // the header, field by field, against our reading of the WAL file
                assertThat(h).as("SQLite's wal-index header").isNotNull();
                assertThat(h.isSupportedVersion()).isTrue();
                assertThat(mx).isEqualTo(readyFrames).isEqualTo(commits.get(commits.size() - 1).frame());
                assertThat(h.mxFrame()).isEqualTo(mx);
                assertThat(h.nPage()).isEqualTo(scan.frame(mx).commit());
                assertThat(h.pageSize()).isEqualTo(pageSize);
                assertThat(shm.getU16(WalIndexFormat.HDR_PAGE_SIZE)).isEqualTo(WalIndexHeader.encodePageSize(pageSize));
                assertThat(h.bigEndianChecksum()).isEqualTo(scan.bigEndian);
                assertThat(h.salt1()).isEqualTo(scan.salt1);
                assertThat(h.salt2()).isEqualTo(scan.salt2);
                assertThat(h.frameChecksum0()).isEqualTo(scan.frame(mx).ck0());
                assertThat(h.frameChecksum1()).isEqualTo(scan.frame(mx).ck1());
                assertThat(new WalIndexCheckpointInfo(shm).nBackfill()).isZero();
                if (pageSize == 512) {
                    assertThat(mx).as("frames spread over three index blocks").isGreaterThan(4062 + 4096);
                }

                // every page, at a spread of snapshots (and at each block edge), against the WAL
                int blocks = WalIndexHashTable.blockOf(mx) + 1;
                shm.ensureRegions(blocks);
                WalIndexHashTable index = new WalIndexHashTable(shm);
                for (int i = 0; i < commits.size(); i++) {
                    Commit c = commits.get(i);
                    boolean edge = i > 0 && WalIndexHashTable.blockOf(commits.get(i - 1).frame()) != WalIndexHashTable.blockOf(c.frame());
                    if (i % 4 == 0 || edge || i == commits.size() - 1) {
                        assertFindAgrees(index, scan, c.frame(), 1);
                    }
                }
                for (int min : new int[] {0, 2, 4062, 4063, 8158, 8159, mx}) {
                    assertFindAgrees(index, scan, mx, min);
                }

                // our recovery from the same WAL builds the very same index blocks and header fields
                HeapShm ours = new HeapShm();
                try (StorageFile wal = FileStorage.INSTANCE.open(Path.of(db + "-wal"), true, false)) {
                    WalIndexHeader rebuilt = WalIndexRecovery.recover(wal, ours).header();
                    assertThat(rebuilt).usingRecursiveComparison().ignoringFields("change").isEqualTo(h);
                }
                assertSameIndexBlocks(shm, ours, blocks);

                // a transaction too big for the page cache spills uncommitted frames into the WAL
                py.send("spill");
                int spilled = Integer.parseInt(py.expect("SPILLED")[1]);
                assertThat(spilled).isGreaterThan(mx);
                byte[] walBytes = Files.readAllBytes(Path.of(db + "-wal"));
                ScannedWal scan2 = ScannedWal.parse(walBytes);
                // Once SQLite rewrites a spilled frame in place it writes later frames with zero salts and
                // checksums, to be fixed at commit: so not every spilled frame need pass the checks.
                assertThat(scan2.frames.size()).isBetween(mx, spilled);
                assertThat(scan2.mxFrame()).isEqualTo(mx);
                assertThat(WalIndexHeader.read(shm)).isEqualTo(h);
                shm.ensureRegions(WalIndexHashTable.blockOf(spilled) + 1);
                for (int fr = mx + 1; fr <= spilled; fr++) {
                    int rawPgno = java.nio.ByteBuffer.wrap(walBytes).getInt(32 + (fr - 1) * (24 + pageSize));
                    assertThat(index.pageOf(fr)).as("SQLite indexes spilled frame %d before it commits", fr)
                            .isEqualTo(rawPgno);
                }
                assertFindAgrees(index, scan2, mx, 1);

                // SQLite's rollback cleans the hash exactly as our truncate does
                HeapShm expected = HeapShm.copyOf(shm);
                new WalIndexHashTable(expected).truncate(mx);
                py.send("rollback");
                py.expect("ROLLEDBACK");
                assertThat(WalIndexHeader.read(shm)).isEqualTo(h);
                assertThat(index.pageOf(mx + 1)).isZero();
                assertSameIndexBlocks(shm, expected, expected.regionCount());
            }
            py.send("quit");
            py.expect("BYE");
            assertThat(py.awaitExit()).isZero();
        }
    }

    @Test
    void sqliteReadsThroughAnIndexWeBuilt() throws Exception {
        Path live = dir.resolve("src.db");
        Path copyDir = Files.createDirectory(dir.resolve("copy"));
        Path db = copyDir.resolve("db");
        List<Commit> commits;
        String[] ready;
        try (PythonProcess py = new PythonProcess(script("writer.py", WRITER), live.toString(), "512", "5000")) {
            List<String> out = py.readUntil("READY");
            commits = commits(out);
            ready = out.get(out.size() - 1).split(" ");
            // copy while the writer is still connected, so nothing has been checkpointed or deleted
            Files.copy(live, db);
            Files.copy(Path.of(live + "-wal"), Path.of(db + "-wal"));
            py.send("quit");
            py.expect("BYE");
        }
        int finalTxn = Integer.parseInt(ready[2]);
        int finalCount = Integer.parseInt(ready[3]);
        Path walPath = Path.of(db + "-wal");
        long walSize = Files.size(walPath);
        ScannedWal scan = ScannedWal.parse(Files.readAllBytes(walPath));
        Path reader = script("reader.py", READER);

        // The store's own path to the -shm: ByteRangeLocks for the locks, SharedMemory for the mapping.
        Object owner = new Object();
        Path shmPath = Path.of(db + "-shm");
        ByteRangeLocks shmLocks = ByteRangeLocks.forFile(shmPath, true);
        ByteRangeLocks dbLocks = ByteRangeLocks.forFile(db);
        SharedMemory memory = SharedMemory.open(shmLocks);
        try {
            // First user of the -shm: the dead-man switch resets it and leaves us holding DMS shared, which
            // tells SQLite it is not the first (so it keeps the file); a SHARED lock on the database keeps
            // SQLite from checkpointing and deleting the WAL when its connection closes.
            assertThat(memory.acquireDeadManSwitch(owner)).isTrue();
            assertThat(dbLocks.tryLock(owner, SqliteLockLayout.SHARED_FIRST, SqliteLockLayout.SHARED_SIZE,
                    LockMode.SHARED)).isTrue();
            ShmAccess shm = new SharedMemoryShm(memory, shmPath, true);
            WalIndexHeader h;
            try (StorageFile wal = FileStorage.INSTANCE.open(walPath, true, false)) {
                h = WalIndexRecovery.recover(wal, shm).header();
            }
            assertThat(h.mxFrame()).isEqualTo(scan.mxFrame()).isGreaterThan(4062);
            WalIndexHeader marked = new WalIndexHeader(h.version(), 0x5eed, h.bigEndianChecksum(), h.pageSize(),
                    h.mxFrame(), h.nPage(), h.frameChecksum0(), h.frameChecksum1(), h.salt1(), h.salt2());
            marked.write(shm);

            String[] r = runReader(reader, db);
            assertThat(r).containsExactly("RESULT", "ok", Integer.toString(finalCount), Integer.toString(finalTxn),
                    Integer.toString(finalTxn));
            assertThat(WalIndexHeader.read(shm)).as("SQLite used our header, it did not recover").isEqualTo(marked);
            assertThat(Files.size(walPath)).isEqualTo(walSize);

            // Proof that SQLite takes its snapshot from our index: publish an older end of log
            Commit mid = commits.get(commits.size() / 2);
            ScannedWal.Frame f = scan.frame(mid.frame());
            assertThat(f.commit()).isNotZero();
            WalIndexHeader older = new WalIndexHeader(h.version(), 0x5eee, h.bigEndianChecksum(), h.pageSize(),
                    f.number(), f.commit(), f.ck0(), f.ck1(), h.salt1(), h.salt2());
            older.write(shm);
            new WalIndexCheckpointInfo(shm).resetAfterRecovery(f.number());
            r = runReader(reader, db);
            assertThat(r).containsExactly("RESULT", "ok", Integer.toString(mid.count()), Integer.toString(mid.txn()),
                    Integer.toString(mid.txn()));
        } finally {
            memory.close();
            shmLocks.unlockAll(owner);
            dbLocks.unlockAll(owner);
            shmLocks.close();
            dbLocks.close();
        }
        // Without our locks SQLite is the first process on the -shm: it resets the file and recovers from
        // the WAL, so our (older) header is ignored and it sees every commit.
        String[] r = runReader(reader, db);
        assertThat(r).containsExactly("RESULT", "ok", Integer.toString(finalCount), Integer.toString(finalTxn),
                Integer.toString(finalTxn));
    }

    private static String[] runReader(Path reader, Path db) throws Exception {
        try (PythonProcess py = new PythonProcess(reader, db.toString())) {
            String[] r = py.expect("RESULT");
            assertThat(py.awaitExit()).isZero();
            return r;
        }
    }
}
