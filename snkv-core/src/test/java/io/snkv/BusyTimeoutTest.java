package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The busy timeout against a write transaction held by another process: a writer here waits about the
 * timeout and then fails with {@link BusyException}; with no timeout it fails at once; and when the other
 * process commits within the timeout, the write here goes through. Readers are not blocked meanwhile.
 */
@Tag("multiprocess")
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BusyTimeoutTest {
    @TempDir
    Path dir;

    private static KVStoreConfig config(JournalMode mode, long busyMs) {
        return KVStoreConfig.builder().journalMode(mode).busyTimeout(Duration.ofMillis(busyMs)).build();
    }

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    void writerWaitsForTheOtherProcessesTransaction(JournalMode mode) throws Exception {
        Path db = dir.resolve("busy.db");
        try (KVStore s = KVStore.open(db, config(mode, 0))) {
            s.put("before", "0");
        }
        try (SharingChild.Group kids = new SharingChild.Group(dir);
             KVStore waits500 = KVStore.open(db, config(mode, 500));
             KVStore waits0 = KVStore.open(db, config(mode, 0));
             KVStore waits10s = KVStore.open(db, config(mode, 10_000))) {
            SharingChild holder = kids.startWithStdin("holder-" + mode, "hold-write", "db=" + db, "mode=" + mode,
                    "key=held", "value=1", "busyMs=10000", "seconds=60");
            assertThat(holder.awaitLine("HOLDING", 30_000)).as("%s", holder.describe()).isNotNull();

            // busyTimeout 500 ms: a put waits about that long, then fails.
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> waits500.put("p", "500")).isInstanceOf(BusyException.class);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("[BusyTimeoutTest] " + mode + ": put with busyTimeout 500 ms failed after " + waitedMs
                    + " ms");
            assertThat(waitedMs).as("ms waited before BusyException with busyTimeout 500 ms").isGreaterThanOrEqualTo(400);

            // The same in an explicit transaction: begin, put or commit fails, and nothing is left open.
            t0 = System.nanoTime();
            assertThatThrownBy(() -> {
                waits500.begin(true);
                waits500.put("p", "500");
                waits500.commit();
            }).isInstanceOf(BusyException.class);
            waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(waitedMs).as("ms waited in an explicit transaction").isGreaterThanOrEqualTo(400);
            if (waits500.inTransaction()) {
                waits500.rollback();
            }

            // busyTimeout 0: fails at once.
            assertThatThrownBy(() -> waits0.put("p", "0")).isInstanceOf(BusyException.class);
            assertThatThrownBy(() -> waits0.delete("before")).isInstanceOf(BusyException.class);

            // Readers are not blocked by the other process's open write transaction, nor see it.
            assertThat(waits0.getString("before")).contains("0");
            assertThat(waits0.getString("held")).isEmpty();
            assertThat(holder.isAlive()).as("%s", holder.describe()).isTrue();

            // The holder commits 300 ms from now; a put with busyTimeout 10 s waits for it, then succeeds.
            AtomicReference<Throwable> releaseFailed = new AtomicReference<>();
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    holder.sendLine("commit");
                } catch (Throwable e) {
                    releaseFailed.set(e);
                }
            }, "release-holder");
            t0 = System.nanoTime();
            release.start();
            waits10s.put("p", "10s");
            waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            release.join();
            assertThat(releaseFailed.get()).isNull();
            System.out.println("[BusyTimeoutTest] " + mode + ": put with busyTimeout 10 s succeeded after " + waitedMs
                    + " ms");
            assertThat(waitedMs).as("the put must have waited for the holder's commit").isGreaterThanOrEqualTo(250);
            assertThat(holder.awaitLine("COMMITTED", 30_000)).as("%s", holder.describe()).isNotNull();

            assertThat(waits10s.getString("held")).contains("1");
            assertThat(waits10s.getString("p")).contains("10s");
            assertThat(waits0.getString("held")).contains("1");
            assertThat(waits0.getString("p")).contains("10s");
            // With the holder committed, the others write again.
            waits0.put("after", "0");
            waits500.put("after", "500");

            holder.sendLine("close");
            SharingChild.awaitAllSucceed(List.of(holder), 30_000, mode + " holder");
            assertThat(waits0.getString("after")).contains("500");
            assertThat(waits0.count()).isEqualTo(4);
            assertThat(waits0.integrityCheck()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    void writerSucceedsWhenTheOtherProcessRollsBackByDying(JournalMode mode) throws Exception {
        Path db = dir.resolve("dies.db");
        try (KVStore s = KVStore.open(db, config(mode, 0))) {
            s.put("before", "0");
        }
        try (SharingChild.Group kids = new SharingChild.Group(dir);
             KVStore waits10s = KVStore.open(db, config(mode, 10_000))) {
            SharingChild holder = kids.startWithStdin("dying-holder-" + mode, "hold-write", "db=" + db,
                    "mode=" + mode, "key=held", "value=1", "busyMs=10000", "seconds=60");
            assertThat(holder.awaitLine("HOLDING", 30_000)).as("%s", holder.describe()).isNotNull();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    holder.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "kill-holder");
            long t0 = System.nanoTime();
            killer.start();
            waits10s.put("p", "after the kill");
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            killer.join();
            assertThat(waitedMs).as("the put must have waited for the holder to die").isGreaterThanOrEqualTo(250);
            assertThat(waits10s.getString("held")).as("the dead holder's uncommitted put").isEmpty();
            assertThat(waits10s.getString("p")).contains("after the kill");
            assertThat(waits10s.count()).isEqualTo(2);
            assertThat(waits10s.integrityCheck()).isEmpty();
        }
    }
}
