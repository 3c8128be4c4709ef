package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback-journal mode shared by several connections: each KVStore is a connection with SQLite's
 * SHARED / RESERVED / EXCLUSIVE locks on SQLite's bytes, so they exclude each other, and SQLite itself.
 */
class RollbackModeSharingTest {
    @TempDir
    Path dir;

    private static KVStoreConfig delete(long busyMs) {
        return KVStoreConfig.builder().journalMode(JournalMode.DELETE).busyTimeout(Duration.ofMillis(busyMs)).build();
    }

    @Test
    void twoConnectionsSeeEachOthersCommits() {
        Path db = dir.resolve("s.db");
        try (KVStore a = KVStore.open(db, delete(1000)); KVStore b = KVStore.open(db, delete(1000))) {
            a.put("k", "from a");
            assertThat(b.getString("k")).contains("from a");
            b.put("k", "from b");
            b.put("k2", "x".repeat(5000));
            assertThat(a.getString("k")).contains("from b");
            assertThat(a.getString("k2")).contains("x".repeat(5000));
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.integrityCheck()).isEmpty();
        }
    }

    @Test
    void aSecondWriterIsBusyWhileTheFirstHoldsItsTransaction() {
        Path db = dir.resolve("w.db");
        try (KVStore a = KVStore.open(db, delete(0)); KVStore b = KVStore.open(db, delete(0))) {
            a.begin(true);
            a.put("a", "1");
            assertThatThrownBy(() -> b.put("b", "2")).isInstanceOf(BusyException.class);
            // Readers still read the last committed state while the writer has not committed.
            assertThat(b.getString("a")).isEmpty();
            a.commit();
            b.put("b", "2");
            assertThat(a.getString("b")).contains("2");
        }
    }

    @Test
    void aCommitWaitsForReadersOfOtherConnectionsThenFailsBusy() {
        Path db = dir.resolve("r.db");
        try (KVStore a = KVStore.open(db, delete(0)); KVStore b = KVStore.open(db, delete(300))) {
            a.put("k", "old");
            a.begin(false);
            assertThat(a.getString("k")).contains("old");
            long t0 = System.nanoTime();
            b.begin(true);
            b.put("k", "new");
            assertThatThrownBy(b::commit).isInstanceOf(BusyException.class);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
            b.rollback();
            assertThat(a.getString("k")).contains("old");
            a.commit();
            b.put("k", "new");
            assertThat(a.getString("k")).contains("new");
        }
    }

    @Test
    void sqliteCannotWriteWhileThisLibraryHoldsTheWriteLock() throws Exception {
        assumeTrue(PythonSqlite.available(), "python3 with sqlite3 is needed");
        Path db = dir.resolve("q.db");
        try (KVStore a = KVStore.open(db, delete(0))) {
            a.put("k", "v");
            a.begin(true);
            a.put("k2", "v2");
            String out = PythonSqlite.tryWriteLock(db);
            assertThat(out).contains("error: database is locked");
            a.commit();
            assertThat(a.getString("k2")).contains("v2");
            assertThat(a.integrityCheck()).isEmpty();
        }
    }
}
