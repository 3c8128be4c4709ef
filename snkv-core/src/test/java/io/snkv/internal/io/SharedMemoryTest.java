package io.snkv.internal.io;

import static io.snkv.internal.io.SharedMemory.REGION_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedMemoryTest {
    @TempDir
    Path dir;

    private Path shmPath() {
        return dir.resolve("test.db-shm");
    }

    @Test
    void mappingARegionGrowsTheFileZeroFilled() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            assertThat(shm.fileSize()).isZero();
            assertThat(shm.mapRegion(0, false)).as("no extend: absent").isFalse();
            assertThat(shm.regionCount()).isZero();

            assertThat(shm.mapRegion(2, true)).isTrue();
            assertThat(shm.regionCount()).isEqualTo(3);
            assertThat(shm.fileSize()).isEqualTo(3L * REGION_SIZE);
            byte[] all = new byte[3 * REGION_SIZE];
            shm.getBytes(0, all, 0, all.length);
            assertThat(all).containsOnly(0);
            assertThat(shm.mapRegion(1, false)).isTrue();

            assertThatThrownBy(() -> shm.getIntVolatile(3L * REGION_SIZE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not mapped");
        }
    }

    @Test
    void growingNeverOverwritesExistingContent() throws Exception {
        byte[] old = new byte[5000];
        java.util.Arrays.fill(old, (byte) 7);
        Files.write(shmPath(), old);
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            assertThat(shm.mapRegion(0, true)).isTrue();
            byte[] back = new byte[REGION_SIZE];
            shm.getBytes(0, back, 0, back.length);
            for (int i = 0; i < REGION_SIZE; i++) {
                assertThat(back[i]).as("byte %d", i).isEqualTo(i < 5000 ? (byte) 7 : 0);
            }
        }
    }

    @Test
    void valuesAreNativeOrderAndSharedBetweenMappings() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory one = SharedMemory.open(locks);
                SharedMemory two = SharedMemory.open(locks)) {
            one.mapRegion(1, true);
            two.mapRegion(1, false);

            one.setIntVolatile(REGION_SIZE + 8, 0x01020304);
            assertThat(two.getIntVolatile(REGION_SIZE + 8)).isEqualTo(0x01020304);
            one.setInt(96, -5);
            one.setU16(14, 65535);
            one.setU16(12, 4096);
            SharedMemory.fullFence();
            assertThat(two.getInt(96)).isEqualTo(-5);
            assertThat(two.getU16(14)).isEqualTo(65535);
            assertThat(two.getU16(12)).isEqualTo(4096);

            byte[] raw = new byte[4];
            two.getBytes(REGION_SIZE + 8, raw, 0, 4);
            assertThat(ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getInt()).isEqualTo(0x01020304);

            assertThat(one.compareAndSet(100, 0, 42)).isTrue();
            assertThat(two.compareAndSet(100, 0, 43)).isFalse();
            assertThat(two.getAndAdd(100, 8)).isEqualTo(42);
            assertThat(one.getIntVolatile(100)).isEqualTo(50);
        }
    }

    @Test
    void bytesMayStraddleRegionsValuesMayNot() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            shm.mapRegion(1, true);
            byte[] data = {1, 2, 3, 4, 5, 6};
            shm.setBytes(REGION_SIZE - 3, data, 0, 6);
            byte[] back = new byte[6];
            shm.getBytes(REGION_SIZE - 3, back, 0, 6);
            assertThat(back).containsExactly(data);

            assertThatThrownBy(() -> shm.getInt(REGION_SIZE - 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> shm.getIntVolatile(6)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aligned");
            assertThatThrownBy(() -> shm.getU16(3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> shm.getInt(-4)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void atomicAddsFromManyThreadsAreNotLost() throws Exception {
        int threads = 4;
        int adds = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            shm.mapRegion(0, true);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < adds; i++) {
                        shm.getAndAdd(64, 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertThat(shm.getIntVolatile(64)).isEqualTo(threads * adds);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void firstUserTruncatesLaterUsersDoNot() throws Exception {
        Files.write(shmPath(), new byte[] {9, 9, 9}); // left over from a crash
        Object first = new Object();
        Object second = new Object();
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory a = SharedMemory.open(locks);
                SharedMemory b = SharedMemory.open(locks)) {
            assertThat(a.acquireDeadManSwitch(first)).isTrue();
            assertThat(a.fileSize()).as("reset").isZero();
            assertThat(locks.heldMode(first, SqliteLockLayout.SHM_DMS, 1)).contains(LockMode.SHARED);

            a.mapRegion(0, true);
            a.setIntVolatile(0, 3007000);
            assertThat(b.acquireDeadManSwitch(second)).isTrue();
            assertThat(b.acquireDeadManSwitch(second)).as("already held").isTrue();
            b.mapRegion(0, false);
            assertThat(b.getIntVolatile(0)).as("not truncated again").isEqualTo(3007000);

            // nobody may truncate while someone holds DMS shared
            assertThat(locks.tryLock(new Object(), SqliteLockLayout.SHM_DMS, 1, LockMode.EXCLUSIVE)).isFalse();
        }
    }

    @Test
    void truncateForgetsMappings() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            shm.mapRegion(0, true);
            shm.setIntVolatile(0, 1);
            shm.truncate();
            assertThat(shm.regionCount()).isZero();
            assertThat(shm.fileSize()).isZero();
            assertThatThrownBy(() -> shm.getIntVolatile(0)).isInstanceOf(IllegalStateException.class);
            shm.mapRegion(0, true);
            assertThat(shm.getIntVolatile(0)).isZero();
        }
    }

    @Test
    void closedSharedMemoryRefusesAccessAndMapping() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true)) {
            SharedMemory shm = SharedMemory.open(locks);
            shm.mapRegion(0, true);
            shm.close();
            shm.close();
            assertThatThrownBy(() -> shm.getIntVolatile(0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> shm.mapRegion(0, true)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void interruptedCallerCanMapWithoutClosingTheChannel() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            Thread.currentThread().interrupt();
            try {
                assertThat(shm.mapRegion(1, true)).isTrue();
                assertThat(shm.fileSize()).isEqualTo(2L * REGION_SIZE);
            } finally {
                assertThat(Thread.interrupted()).as("flag kept").isTrue();
            }
            assertThat(shm.mapRegion(2, true)).as("channel still open").isTrue();
        }
    }

    @Tag("multiprocess")
    @Test
    void anotherProcessSeesOurWritesAndWeSeeItsWrites() throws Exception {
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            shm.mapRegion(0, true);
            shm.setIntVolatile(40, 123456789);
            try (ChildJvm child = ChildJvm.start("shm-get", shmPath().toString(), "40")) {
                assertThat(child.nextLine()).isEqualTo("123456789");
            }
            try (ChildJvm child = ChildJvm.start("shm-set", shmPath().toString(), "44", "-77")) {
                assertThat(child.nextLine()).isEqualTo("DONE");
                assertThat(shm.getIntVolatile(44)).isEqualTo(-77);
            }
        }
    }

    @Tag("multiprocess")
    @Test
    void atomicAddsFromTwoProcessesAreNotLost() throws Exception {
        int adds = 2_000_000;
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath(), true);
                SharedMemory shm = SharedMemory.open(locks)) {
            shm.mapRegion(0, true);
            try (ChildJvm child = ChildJvm.start("shm-add", shmPath().toString(), "200", Integer.toString(adds))) {
                assertThat(child.nextLine()).isEqualTo("READY");
                shm.setIntVolatile(204, 1); // go
                for (int i = 0; i < adds; i++) {
                    shm.getAndAdd(200, 1);
                }
                assertThat(child.nextLine()).isEqualTo("DONE");
            }
            assertThat(shm.getIntVolatile(200)).isEqualTo(2 * adds);
        }
    }
}
