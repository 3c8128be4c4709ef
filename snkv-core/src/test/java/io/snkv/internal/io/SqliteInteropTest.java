package io.snkv.internal.io;

import static io.snkv.internal.io.LockMode.EXCLUSIVE;
import static io.snkv.internal.io.LockMode.SHARED;
import static io.snkv.internal.io.SqliteLockLayout.PENDING_BYTE;
import static io.snkv.internal.io.SqliteLockLayout.RESERVED_BYTE;
import static io.snkv.internal.io.SqliteLockLayout.SHARED_FIRST;
import static io.snkv.internal.io.SqliteLockLayout.SHARED_SIZE;
import static io.snkv.internal.io.SqliteLockLayout.WAL_WRITE_LOCK;
import static io.snkv.internal.io.SqliteLockLayout.shmLockOffset;
import static io.snkv.internal.io.SqliteLockLayout.walReadLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our locks against real SQLite (python3's sqlite3 module): the byte offsets and the POSIX lock kind match,
 * so each side sees the other's locks. Skipped when python3 or its sqlite3 module is missing.
 */
@Tag("interop")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteInteropTest {
    /** Connects with timeout=0 (no busy wait) and runs argv[2] (then commits); prints OK or ERROR msg. */
    private static final String RUN = String.join("\n",
            "import sqlite3, sys",
            "try:",
            "    c = sqlite3.connect(sys.argv[1], timeout=0)",
            "    rows = c.execute(sys.argv[2]).fetchall()",
            "    c.commit()",
            "    print('OK', rows)",
            "except sqlite3.OperationalError as e:",
            "    print('ERROR', e)");

    /** Keeps a connection in the state argv[2..] leave it in, prints READY, holds it until stdin ends. */
    private static final String HOLD = String.join("\n",
            "import sqlite3, sys",
            "c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)",
            "for sql in sys.argv[2:]:",
            "    c.execute(sql).fetchall()",
            "print('READY', flush=True)",
            "sys.stdin.read()",
            "if c.in_transaction:",
            "    c.execute('ROLLBACK')",
            "c.close()");

    @TempDir
    Path dir;
    private final Object owner = new Object();

    @BeforeAll
    static void needsPythonSqlite() {
        String version;
        try {
            version = python("-c", "import sqlite3; print(sqlite3.sqlite_version)").trim();
        } catch (IOException | InterruptedException | AssertionError e) {
            version = "";
        }
        assumeTrue(version.matches("3\\.\\d+.*"), "python3 with the sqlite3 module is not available");
    }

    private Path database(String journalMode) throws Exception {
        Path db = dir.resolve("interop.db");
        String out = python("-c", String.join("\n",
                "import sqlite3, sys",
                "c = sqlite3.connect(sys.argv[1])",
                "c.execute('PRAGMA journal_mode=" + journalMode + "').fetchall()",
                "c.execute('CREATE TABLE t(x)')",
                "c.execute('INSERT INTO t VALUES (1)')",
                "c.commit()",
                "c.close()",
                "print('created')"), db.toString());
        assertThat(out.trim()).isEqualTo("created");
        return db;
    }

    private static String sqlite(Path db, String sql) throws Exception {
        return python("-c", RUN, db.toString(), sql).trim();
    }

    // --- rollback-journal (DELETE) database: locks on the database file ---

    @Test
    void ourExclusiveLockMakesSqliteReadersAndWritersBusy() throws Exception {
        Path db = database("DELETE");
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(db)) {
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isTrue();
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("ERROR database is locked");
            assertThat(sqlite(db, "SELECT count(*) FROM t")).isEqualTo("ERROR database is locked");

            locks.unlock(owner, SHARED_FIRST, SHARED_SIZE);
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("OK []");
            assertThat(sqlite(db, "SELECT count(*) FROM t")).isEqualTo("OK [(2,)]");
        }
    }

    @Test
    void ourSharedLockLetsSqliteReadButNotCommit() throws Exception {
        Path db = database("DELETE");
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(db)) {
            // SQLite's own SHARED sequence: PENDING read lock, SHARED range read lock, PENDING unlocked
            assertThat(locks.tryLock(owner, PENDING_BYTE, 1, SHARED)).isTrue();
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            locks.unlock(owner, PENDING_BYTE, 1);

            assertThat(sqlite(db, "SELECT count(*) FROM t")).isEqualTo("OK [(1,)]");
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("ERROR database is locked");

            locks.unlock(owner, SHARED_FIRST, SHARED_SIZE);
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("OK []");
        }
    }

    @Test
    void ourReservedLockKeepsSqliteWritersOut() throws Exception {
        Path db = database("DELETE");
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(db)) {
            assertThat(locks.tryLock(owner, RESERVED_BYTE, 1, EXCLUSIVE)).isTrue();
            assertThat(sqlite(db, "SELECT count(*) FROM t")).isEqualTo("OK [(1,)]");
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("ERROR database is locked");
            locks.unlock(owner, RESERVED_BYTE, 1);
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("OK []");
        }
    }

    @Test
    void sqliteTransactionsBlockTheMatchingLocksHere() throws Exception {
        Path db = database("DELETE");
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(db)) {
            try (Python holder = Python.hold(db, "BEGIN IMMEDIATE", "INSERT INTO t VALUES (2)")) { // RESERVED
                assertThat(locks.tryLock(owner, RESERVED_BYTE, 1, EXCLUSIVE)).isFalse();
                assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED)).as("readers still welcome").isTrue();
                locks.unlock(owner, SHARED_FIRST, SHARED_SIZE);
            }
            try (Python holder = Python.hold(db, "BEGIN EXCLUSIVE")) { // PENDING + RESERVED + SHARED range write-locked
                assertThat(locks.tryLock(owner, PENDING_BYTE, 1, SHARED)).isFalse();
                assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED)).isFalse();
            }
            assertThat(locks.lock(owner, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE, 5000)).as("after it ended").isTrue();
        }
    }

    // --- WAL database: locks in the -shm wal-index file ---

    @Test
    void ourWalWriteLockMakesSqliteWritersBusyButNotReaders() throws Exception {
        Path db = database("WAL");
        Path shm = Path.of(db + "-shm");
        try (Python keeper = Python.hold(db, "SELECT count(*) FROM t"); // keeps the wal-index alive
                ByteRangeLocks locks = ByteRangeLocks.forFile(shm)) {
            assertThat(locks.tryLock(owner, shmLockOffset(WAL_WRITE_LOCK), 1, EXCLUSIVE)).isTrue();
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("ERROR database is locked");
            assertThat(sqlite(db, "SELECT count(*) FROM t")).isEqualTo("OK [(1,)]");

            locks.unlock(owner, shmLockOffset(WAL_WRITE_LOCK), 1);
            assertThat(sqlite(db, "INSERT INTO t VALUES (2)")).isEqualTo("OK []");
            assertThat(sqlite(db, "SELECT count(*) FROM t")).isEqualTo("OK [(2,)]");
        }
    }

    @Test
    void sqliteWalWriterAndReaderHoldTheirShmBytes() throws Exception {
        Path db = database("WAL");
        Path shm = Path.of(db + "-shm");
        try (Python writer = Python.hold(db, "BEGIN IMMEDIATE", "INSERT INTO t VALUES (2)");
                ByteRangeLocks locks = ByteRangeLocks.forFile(shm)) {
            assertThat(locks.tryLock(owner, shmLockOffset(WAL_WRITE_LOCK), 1, EXCLUSIVE)).isFalse();
            // the writer also reads: it holds one read mark shared, so not all of them are free exclusive
            int free = 0;
            for (int n = 0; n < SqliteLockLayout.WAL_READERS; n++) {
                if (locks.tryLock(owner, shmLockOffset(walReadLock(n)), 1, EXCLUSIVE)) {
                    free++;
                    locks.unlock(owner, shmLockOffset(walReadLock(n)), 1);
                }
            }
            assertThat(free).isLessThan(SqliteLockLayout.WAL_READERS);
            assertThat(locks.tryLock(owner, SqliteLockLayout.SHM_DMS, 1, SHARED)).isTrue();
            assertThat(locks.tryLock(owner, SqliteLockLayout.SHM_DMS, 1, EXCLUSIVE)).as("SQLite holds DMS shared").isFalse();
        }
    }

    @Test
    void sharedMemoryReadsSqlitesWalIndexHeaderAndLeavesItIntact() throws Exception {
        Path db = database("WAL");
        Path shm = Path.of(db + "-shm");
        try (Python keeper = Python.hold(db, "INSERT INTO t VALUES (2)", "SELECT count(*) FROM t");
                ByteRangeLocks locks = ByteRangeLocks.forFile(shm);
                SharedMemory index = SharedMemory.open(locks)) {
            long sizeBefore = Files.size(shm);
            assertThat(index.acquireDeadManSwitch(owner)).isTrue();
            assertThat(index.fileSize()).as("SQLite is using it: not truncated").isEqualTo(sizeBefore);
            assertThat(index.mapRegion(0, false)).isTrue();
            // WalIndexHdr, native order: iVersion at 0, isInit at 12, szPage (u16) at 14, mxFrame at 16
            assertThat(index.getIntVolatile(0)).isEqualTo(3007000);
            assertThat(index.getIntVolatile(48)).as("second copy").isEqualTo(3007000);
            byte[] isInit = new byte[1];
            index.getBytes(12, isInit, 0, 1);
            assertThat(isInit[0]).isEqualTo((byte) 1);
            assertThat(index.getU16(14)).isEqualTo(4096);
            assertThat(index.getInt(16)).as("frames in the WAL").isPositive();
        }
    }

    // --- python plumbing ---

    static String python(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("python3 failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** A python process holding a connection (and its locks) until closed. */
    static final class Python implements AutoCloseable {
        private final Process process;

        private Python(Process process) {
            this.process = process;
        }

        static Python hold(Path db, String... sql) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("python3", "-c", HOLD, db.toString()));
            cmd.addAll(List.of(sql));
            Python py = new Python(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            BufferedReader out = new BufferedReader(new InputStreamReader(py.process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"READY".equals(line)) {
                py.process.destroyForcibly();
                throw new AssertionError("python holder did not get ready: " + line);
            }
            return py;
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
