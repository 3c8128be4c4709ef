package io.snkv.internal.io;

import static io.snkv.internal.io.LockMode.EXCLUSIVE;
import static io.snkv.internal.io.LockMode.SHARED;
import static io.snkv.internal.io.SqliteLockLayout.SHARED_FIRST;
import static io.snkv.internal.io.SqliteLockLayout.SHARED_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Locks between this JVM and a child JVM: the kernel's POSIX locks really exclude another process. */
@Tag("multiprocess")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ByteRangeLocksProcessTest {
    @TempDir
    Path dir;
    Path file;
    private final Object owner = new Object();

    @BeforeEach
    void createFile() throws Exception {
        file = Files.write(dir.resolve("test.db"), new byte[4096]);
    }

    private ChildJvm childHolding(long offset, long length, LockMode mode) throws Exception {
        ChildJvm child = ChildJvm.start("hold", file.toString(), Long.toString(offset), Long.toString(length), mode.name());
        assertThat(child.nextLine()).isEqualTo("LOCKED");
        return child;
    }

    private String childTries(long offset, long length, LockMode mode) throws Exception {
        try (ChildJvm child = ChildJvm.start("try", file.toString(), Long.toString(offset), Long.toString(length), mode.name())) {
            return child.nextLine();
        }
    }

    @Test
    void childsExclusiveLockBlocksUsUntilItIsKilled() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file);
                ChildJvm child = childHolding(SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)) {
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED)).isFalse();
            assertThat(locks.tryLock(owner, SHARED_FIRST + 7, 1, EXCLUSIVE)).as("any byte inside").isFalse();
            assertThat(locks.lock(owner, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE, 100)).isFalse();
            assertThat(locks.tryLock(owner, SqliteLockLayout.PENDING_BYTE, 1, EXCLUSIVE)).as("outside").isTrue();

            child.kill(); // SIGKILL: no unlock, the kernel frees the dead process's locks

            assertThat(locks.lock(owner, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE, 5000)).isTrue();
        }
    }

    @Test
    void lockWaitsForAnotherProcessToLetGo() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file);
                ChildJvm child = childHolding(100, 1, EXCLUSIVE)) {
            assertThat(locks.tryLock(owner, 100, 1, SHARED)).isFalse();
            Thread finisher = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    child.finish(); // child unlocks by exiting normally
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            finisher.start();
            assertThat(locks.lock(owner, 100, 1, SHARED, 10_000)).isTrue();
            finisher.join();
        }
    }

    @Test
    void ourLocksBlockTheChild() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            Object other = new Object();
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.tryLock(other, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(childTries(SHARED_FIRST, SHARED_SIZE, SHARED)).isEqualTo("LOCKED");
            assertThat(childTries(SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isEqualTo("BUSY");

            // the OS lock stays while any owner here holds the range
            locks.unlock(owner, SHARED_FIRST, SHARED_SIZE);
            assertThat(childTries(SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isEqualTo("BUSY");
            locks.unlock(other, SHARED_FIRST, SHARED_SIZE);
            assertThat(childTries(SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isEqualTo("LOCKED");

            // upgraded and downgraded locks are what the other process sees
            assertThat(locks.tryLock(owner, 10, 1, SHARED)).isTrue();
            assertThat(locks.tryLock(owner, 10, 1, EXCLUSIVE)).isTrue();
            assertThat(childTries(10, 1, SHARED)).isEqualTo("BUSY");
            assertThat(locks.tryLock(owner, 10, 1, SHARED)).isTrue();
            assertThat(childTries(10, 1, SHARED)).isEqualTo("LOCKED");
            assertThat(childTries(10, 1, EXCLUSIVE)).isEqualTo("BUSY");
        }
    }

    @Test
    void upgradeFailsWhileAnotherProcessSharesAndKeepsOurSharedLock() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file);
                ChildJvm child = childHolding(SHARED_FIRST, SHARED_SIZE, SHARED)) {
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, SHARED)).isTrue();
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isFalse();
            assertThat(locks.heldMode(owner, SHARED_FIRST, SHARED_SIZE)).contains(SHARED);
            child.kill();
            assertThat(childTries(SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).as("we still share it").isEqualTo("BUSY");
            assertThat(locks.tryLock(owner, SHARED_FIRST, SHARED_SIZE, EXCLUSIVE)).isTrue();
        }
    }

    /**
     * The hazard the registry exists for: POSIX drops all of a process's locks on a file when ANY of its
     * descriptors on that file closes. {@link ByteRangeLocks#closeWhenUnlocked} is the way around it.
     */
    @Test
    void closingAnyOtherDescriptorDropsOurLocksUnlessDeferred() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(owner, 0, 1, EXCLUSIVE)).isTrue();

            FileChannel deferred = FileChannel.open(file, StandardOpenOption.READ);
            locks.closeWhenUnlocked(deferred);
            assertThat(deferred.isOpen()).isTrue();
            assertThat(childTries(0, 1, SHARED)).isEqualTo("BUSY");

            FileChannel.open(file, StandardOpenOption.READ).close(); // a careless close elsewhere in the JVM
            assertThat(childTries(0, 1, SHARED)).as("lock silently gone").isEqualTo("LOCKED");
            assertThat(locks.heldMode(owner, 0, 1)).as("and nobody in the JVM can tell").contains(EXCLUSIVE);

            locks.unlock(owner, 0, 1);
            assertThat(deferred.isOpen()).isFalse();
        }
    }

    /** An interrupted thread cannot make the lock channel close (a FileChannel would be closed by the JDK). */
    @Test
    void interruptedCallerDoesNotDropLocks() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(file)) {
            assertThat(locks.tryLock(owner, 0, 1, EXCLUSIVE)).isTrue();
            Thread.currentThread().interrupt();
            try {
                assertThat(locks.tryLock(new Object(), 1, 1, EXCLUSIVE)).isTrue();
                assertThat(locks.unlock(owner, 1, 1)).isFalse();
            } finally {
                assertThat(Thread.interrupted()).isTrue();
            }
            assertThat(childTries(0, 1, SHARED)).isEqualTo("BUSY");
            assertThat(childTries(1, 1, SHARED)).isEqualTo("BUSY");
        }
    }
}
