package io.snkv.internal.io;

import static io.snkv.internal.io.LockMode.EXCLUSIVE;
import static io.snkv.internal.io.LockMode.SHARED;
import static io.snkv.internal.io.SqliteLockLayout.PENDING_BYTE;
import static io.snkv.internal.io.SqliteLockLayout.RESERVED_BYTE;
import static io.snkv.internal.io.SqliteLockLayout.SHARED_FIRST;
import static io.snkv.internal.io.SqliteLockLayout.SHARED_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Owners in one JVM: sharing, conflicts, conversion, waiting, handles. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ByteRangeLocksTest {
    @TempDir
    Path dir;
    Path file;

    private final Object a = new Object();
    private final Object b = new Object();
    private final Object c = new Object();

    @BeforeEach
    void createFile() throws Exception {
        file = Files.write(dir.resolve("test.db"), new byte[] {1, 2, 3});
    }

    @Test
    void sharedHoldersCoexistAndExcludeAnExclusiveOne() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.tryLock(c, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isFalse();

            assertThat(locks.unlock(a, SHARED_FIRST, SHARED_SIZE)).isTrue();
            assertThat(locks.tryLock(c, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isFalse(); // b still reads
            assertThat(locks.unlock(b, SHARED_FIRST, SHARED_SIZE)).isTrue();
            assertThat(locks.tryLock(c, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isTrue();
            assertThat(locks.heldMode(c, SHARED_FIRST, SHARED_SIZE)).contains(EXCLUSIVE);
        }
    }

    @Test
    void exclusiveHolderExcludesEveryoneElse() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, RESERVED_BYTE, 1, EXCLUSIVE)).isTrue();
            assertThat(locks.tryLock(a, RESERVED_BYTE, 1, EXCLUSIVE)).as("again: no-op").isTrue();
            assertThat(locks.tryLock(b, RESERVED_BYTE, 1, SHARED)).isFalse();
            assertThat(locks.tryLock(b, RESERVED_BYTE, 1, EXCLUSIVE)).isFalse();
            assertThat(locks.heldMode(b, RESERVED_BYTE, 1)).isEmpty();
            assertThat(locks.tryLock(b, PENDING_BYTE, 1, EXCLUSIVE)).as("a disjoint byte is free").isTrue();

            assertThat(locks.unlock(b, RESERVED_BYTE, 1)).as("b held nothing there").isFalse();
            assertThat(locks.unlock(a, RESERVED_BYTE, 1)).isTrue();
            assertThat(locks.unlock(a, RESERVED_BYTE, 1)).isFalse();
            assertThat(locks.tryLock(b, RESERVED_BYTE, 1, SHARED)).isTrue();
        }
    }

    @Test
    void soleSharedHolderUpgradesOthersBlockTheUpgrade() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();

            assertThat(locks.tryLock(a, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isFalse();
            assertThat(locks.heldMode(a, SHARED_FIRST, SHARED_SIZE)).as("keeps its shared lock").contains(SHARED);

            locks.unlock(b, SHARED_FIRST, SHARED_SIZE);
            assertThat(locks.tryLock(a, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isTrue();
            assertThat(locks.heldMode(a, SHARED_FIRST, SHARED_SIZE)).contains(EXCLUSIVE);
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, SHARED)).isFalse();
        }
    }

    @Test
    void downgradeLetsOthersShareAgain() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isTrue();
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, SHARED)).isFalse();

            assertThat(locks.tryLock(a, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.heldMode(a, SHARED_FIRST, SHARED_SIZE)).contains(SHARED);
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.tryLock(c, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isFalse();
        }
    }

    @Test
    void sqliteSharedThenExclusiveSequenceBetweenTwoConnections() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            // reader: SHARED through PENDING
            assertThat(sqliteShared(locks, a)).isTrue();
            // writer: SHARED, RESERVED, PENDING, then EXCLUSIVE fails while the reader reads
            assertThat(sqliteShared(locks, b)).isTrue();
            assertThat(locks.tryLock(b, RESERVED_BYTE, 1, EXCLUSIVE)).isTrue();
            assertThat(locks.tryLock(b, PENDING_BYTE, 1, EXCLUSIVE)).isTrue();
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isFalse();
            // PENDING keeps new readers out
            assertThat(sqliteShared(locks, c)).isFalse();
            assertThat(locks.heldMode(c, SHARED_FIRST, SHARED_SIZE)).isEmpty();
            // the reader leaves; the writer gets EXCLUSIVE, then goes back down in SQLite's order
            locks.unlock(a, SHARED_FIRST, SHARED_SIZE);
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isTrue();
            assertThat(locks.tryLock(b, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            locks.unlock(b, PENDING_BYTE, 1);
            locks.unlock(b, RESERVED_BYTE, 1);
            assertThat(sqliteShared(locks, c)).isTrue();
        }
    }

    private static boolean sqliteShared(ByteRangeLocks locks, Object owner) throws Exception {
        if (!locks.tryLock(owner, PENDING_BYTE, 1, SHARED)) {
            return false;
        }
        try {
            return locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED);
        } finally {
            locks.unlock(owner, PENDING_BYTE, 1);
        }
    }

    @Test
    void overlappingButDifferentRangesConflict() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, 124, 1, SHARED)).isTrue();
            assertThat(locks.tryLock(b, 124, 4, EXCLUSIVE)).isFalse();
            assertThat(locks.tryLock(b, 123, 2, SHARED)).as("refused even shared/shared").isFalse();
            assertThat(locks.tryLock(b, 125, 3, EXCLUSIVE)).isTrue();
            assertThatThrownBy(() -> locks.tryLock(a, 120, 5, SHARED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("overlap");
        }
    }

    @Test
    void badRangesAreRejected() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThatThrownBy(() -> locks.tryLock(a, -1, 1, SHARED)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> locks.tryLock(a, 0, 0, SHARED)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> locks.tryLock(a, Long.MAX_VALUE, 2, SHARED))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void handlesOnTheSameFileShareOneLockTable() throws Exception {
        Path link = dir.resolve("link.db");
        Files.createLink(link, file);
        try (ByteRangeLocks one = ByteRangeLocks.forFile(file);
                ByteRangeLocks two = ByteRangeLocks.forFile(dir.resolve(".").resolve("test.db"));
                ByteRangeLocks three = ByteRangeLocks.forFile(link)) {
            assertThat(one.tryLock(a, 0, 10, EXCLUSIVE)).isTrue();
            assertThat(two.tryLock(b, 0, 10, SHARED)).isFalse();
            assertThat(three.tryLock(c, 0, 10, EXCLUSIVE)).isFalse();
            one.unlock(a, 0, 10);
            assertThat(three.tryLock(c, 0, 10, SHARED)).isTrue();
            assertThat(two.tryLock(b, 0, 10, SHARED)).isTrue();
        }
    }

    @Test
    void closingAHandleReleasesItsOwnersLocksOnly() throws Exception {
        try (ByteRangeLocks stays = ByteRangeLocks.forFile(file)) {
            ByteRangeLocks goes = ByteRangeLocks.forFile(file);
            assertThat(goes.tryLock(a, 0, 1, EXCLUSIVE)).isTrue();
            assertThat(goes.tryLock(a, 5, 1, SHARED)).isTrue();
            assertThat(stays.tryLock(b, 7, 1, EXCLUSIVE)).isTrue();
            goes.close();
            goes.close(); // idempotent
            assertThatThrownBy(() -> goes.tryLock(a, 0, 1, SHARED)).isInstanceOf(IllegalStateException.class);

            assertThat(stays.tryLock(c, 0, 1, EXCLUSIVE)).isTrue();
            assertThat(stays.tryLock(c, 5, 1, EXCLUSIVE)).isTrue();
            assertThat(stays.tryLock(c, 7, 1, SHARED)).as("b's lock survives").isFalse();
        }
        // the last handle closed the lock channel; a new handle starts afresh
        try (ByteRangeLocks again = ByteRangeLocks.forFile(file)) {
            assertThat(again.tryLock(a, 7, 1, EXCLUSIVE)).isTrue();
        }
    }

    @Test
    void lockWaitsForAnOwnerInThisJvmToLetGo() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, RESERVED_BYTE, 1, EXCLUSIVE)).isTrue();
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Boolean> got = pool.submit(() -> {
                waiting.countDown();
                return locks.lock(b, RESERVED_BYTE, 1, EXCLUSIVE, 10_000);
            });
            waiting.await();
            Thread.sleep(50);
            assertThat(got).isNotDone();
            locks.unlock(a, RESERVED_BYTE, 1);
            assertThat(got.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(locks.heldMode(b, RESERVED_BYTE, 1)).contains(EXCLUSIVE);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockGivesUpAfterItsTimeout() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, RESERVED_BYTE, 1, EXCLUSIVE)).isTrue();
            long start = System.nanoTime();
            boolean got = locks.lock(b, RESERVED_BYTE, 1, SHARED, 300);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(got).isFalse();
            assertThat(waitedMs).isGreaterThanOrEqualTo(300);
            assertThat(locks.heldMode(b, RESERVED_BYTE, 1)).isEmpty();
            assertThat(locks.lock(b, RESERVED_BYTE, 1, SHARED, 0)).as("timeout 0: one attempt").isFalse();
        }
    }

    @Test
    void interruptedWaiterStopsWaitingAndKeepsItsFlag() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, 0, 1, EXCLUSIVE)).isTrue();
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> locks.lock(b, 0, 1, EXCLUSIVE, 5000))
                        .isInstanceOf(java.io.InterruptedIOException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            // the interrupt closed nothing: the lock table still works
            assertThat(locks.tryLock(b, 0, 1, SHARED)).isFalse();
            locks.unlock(a, 0, 1);
            assertThat(locks.tryLock(b, 0, 1, SHARED)).isTrue();
        }
    }

    @Test
    void exclusiveLocksGiveMutualExclusionAcrossThreads() throws Exception {
        int threads = 4;
        int rounds = 500;
        int[] counter = {0};
        AtomicBoolean inside = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    Object me = new Object();
                    for (int i = 0; i < rounds; i++) {
                        if (!locks.lock(me, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE, 10_000)) {
                            throw new AssertionError("lock timed out");
                        }
                        if (!inside.compareAndSet(false, true)) {
                            throw new AssertionError("two exclusive holders");
                        }
                        counter[0]++;
                        inside.set(false);
                        locks.unlock(me, SHARED_FIRST, SHARED_SIZE);
                        if (i % 10 == 0) { // and some readers mixed in
                            if (locks.lock(me, SHARED_FIRST, SHARED_SIZE, SHARED, 10_000)) {
                                assertThat(inside).isFalse();
                                locks.unlock(me, SHARED_FIRST, SHARED_SIZE);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(15, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counter[0]).isEqualTo(threads * rounds);
    }

    @Test
    void closeWhenUnlockedWaitsForTheLastLock() throws Exception {
        boolean[] closed = {false};
        Closeable descriptor = () -> closed[0] = true;
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(a, 0, 1, SHARED)).isTrue();
            assertThat(locks.tryLock(b, 1, 1, SHARED)).isTrue();
            locks.closeWhenUnlocked(descriptor);
            locks.unlock(a, 0, 1);
            assertThat(closed[0]).isFalse();
            locks.unlock(b, 1, 1);
            assertThat(closed[0]).isTrue();

            closed[0] = false;
            locks.closeWhenUnlocked(descriptor);
            assertThat(closed[0]).as("nothing locked: closed at once").isTrue();

            closed[0] = false;
            assertThat(locks.tryLock(a, 0, 1, SHARED)).isTrue();
            locks.closeWhenUnlocked(descriptor);
        }
        assertThat(closed[0]).as("closed with the last handle").isTrue();
    }

    @Test
    void missingFileIsCreatedOnlyWhenAsked() throws Exception {
        Path shm = dir.resolve("test.db-shm");
        assertThatThrownBy(() -> ByteRangeLocks.forFile(shm)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shm, true)) {
            assertThat(Files.exists(shm)).isTrue();
            assertThat(locks.tryLock(a, SqliteLockLayout.SHM_DMS, 1, EXCLUSIVE)).isTrue();
        }
    }
}
