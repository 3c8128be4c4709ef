package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL mode shared by several connections through SQLite's wal-index ({@code <db>-shm}): snapshots stay
 * fixed, commits of one connection are seen by the next read transaction of another, one writer at a
 * time, checkpoints respect readers, and SQLite itself is locked out while this library writes.
 */
class WalModeSharingTest {
    @TempDir
    Path dir;

    private static KVStoreConfig wal(long busyMs) {
        return KVStoreConfig.builder().busyTimeout(Duration.ofMillis(busyMs)).build();
    }

    @Test
    void commitsAreSeenByTheNextReadOfAnotherConnection() {
        Path db = dir.resolve("s.db");
        try (KVStore a = KVStore.open(db, wal(1000)); KVStore b = KVStore.open(db, wal(1000))) {
            a.put("k", "from a");
            assertThat(b.getString("k")).contains("from a");
            b.put("k", "from b");
            b.put("big", "x".repeat(20000));
            assertThat(a.getString("k")).contains("from b");
            assertThat(a.getString("big")).contains("x".repeat(20000));
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.integrityCheck()).isEmpty();
            assertThat(Files.exists(dir.resolve("s.db-shm"))).isTrue();
        }
        // The last connection checkpointed and removed the WAL and the wal-index.
        assertThat(Files.exists(dir.resolve("s.db-wal"))).isFalse();
        assertThat(Files.exists(dir.resolve("s.db-shm"))).isFalse();
        try (KVStore c = KVStore.open(db)) {
            assertThat(c.getString("k")).contains("from b");
        }
    }

    @Test
    void aReadTransactionKeepsItsSnapshotWhileAnotherConnectionCommits() {
        Path db = dir.resolve("r.db");
        try (KVStore a = KVStore.open(db, wal(1000)); KVStore b = KVStore.open(db, wal(1000))) {
            a.put("k", "old");
            b.begin(false);
            assertThat(b.getString("k")).contains("old");
            a.put("k", "new");
            a.put("k2", "added");
            assertThat(b.getString("k")).contains("old");
            assertThat(b.exists("k2")).isFalse();
            // A checkpoint may not overwrite pages the open snapshot still reads from the file.
            CheckpointResult r = a.checkpoint(CheckpointMode.PASSIVE);
            assertThat(r.framesCheckpointed()).isLessThan(r.framesInLog());
            assertThat(b.getString("k")).contains("old");
            b.commit();
            assertThat(b.getString("k")).contains("new");
            CheckpointResult full = a.checkpoint(CheckpointMode.FULL);
            assertThat(full.framesCheckpointed()).isEqualTo(full.framesInLog());
            assertThat(b.getString("k2")).contains("added");
        }
    }

    @Test
    void oneWriterAtATimeAcrossConnections() {
        Path db = dir.resolve("w.db");
        try (KVStore a = KVStore.open(db, wal(0)); KVStore b = KVStore.open(db, wal(0))) {
            a.begin(true);
            a.put("a", "1");
            assertThatThrownBy(() -> b.put("b", "2")).isInstanceOf(BusyException.class);
            assertThat(b.getString("a")).isEmpty();
            a.commit();
            b.put("b", "2");
            assertThat(a.getString("b")).contains("2");
            assertThat(b.getString("a")).contains("1");
        }
    }

    @Test
    void restartAndTruncateAfterFullCheckpointKeepEveryoneRight() {
        Path db = dir.resolve("t.db");
        try (KVStore a = KVStore.open(db, wal(1000)); KVStore b = KVStore.open(db, wal(1000))) {
            for (int i = 0; i < 200; i++) {
                a.put("k" + i, "v" + i);
            }
            CheckpointResult r = b.checkpoint(CheckpointMode.TRUNCATE);
            assertThat(r.framesCheckpointed()).isEqualTo(r.framesInLog());
            assertThat(dir.resolve("t.db-wal")).hasSize(0);
            for (int i = 0; i < 200; i++) {
                b.put("k" + i, "w" + i);
            }
            for (int i = 0; i < 200; i++) {
                assertThat(a.getString("k" + i)).contains("w" + i);
            }
            a.checkpoint(CheckpointMode.RESTART);
            a.put("after", "restart");
            assertThat(b.getString("after")).contains("restart");
            assertThat(b.integrityCheck()).isEmpty();
        }
    }

    @Test
    void sqliteCannotWriteWhileThisLibraryWrites() throws Exception {
        assumeTrue(PythonSqlite.available(), "python3 with sqlite3 is needed");
        Path db = dir.resolve("q.db");
        try (KVStore a = KVStore.open(db, wal(0))) {
            a.put("k", "v");
            a.begin(true);
            a.put("k2", "v2");
            String out = PythonSqlite.tryWriteLock(db);
            assertThat(out).contains("error: database is locked");
            a.commit();
            // SQLite reads this library's commits through the shared wal-index.
            String pages = PythonSqlite.run("import sqlite3,sys\n"
                    + "c=sqlite3.connect(sys.argv[1], timeout=1)\n"
                    + "print('integrity', c.execute('PRAGMA integrity_check').fetchone()[0])\n", db);
            assertThat(pages).contains("integrity");
            assertThat(a.getString("k2")).contains("v2");
            assertThat(a.integrityCheck()).isEmpty();
        }
    }
}
