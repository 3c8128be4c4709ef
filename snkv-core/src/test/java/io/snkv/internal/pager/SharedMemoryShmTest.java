package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.internal.io.ByteRangeLocks;
import io.snkv.internal.io.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedMemoryShmTest {
    @TempDir
    Path dir;

    @Test
    void wireFormatThroughTheStoresSharedMemory() throws Exception {
        Path p = dir.resolve("db-shm");
        Object owner = new Object();
        WalIndexHeader h = WalIndexHeader.of(9, false, 1024, 4070, 77, 5, 6, 7, 8);
        try (ByteRangeLocks locks = ByteRangeLocks.forFile(p, true)) {
            SharedMemory memory = SharedMemory.open(locks);
            try {
                assertThat(memory.acquireDeadManSwitch(owner)).isTrue();
                ShmAccess shm = new SharedMemoryShm(memory, p, true);
                WalIndexHashTable index = new WalIndexHashTable(shm);
                for (int f = 1; f <= 4070; f++) {
                    index.append(f, f % 300 + 1);
                }
                h.write(shm);
                new WalIndexCheckpointInfo(shm).resetAfterRecovery(4070);
                assertThat(shm.regionCount()).isEqualTo(2);
                assertThat(WalIndexHeader.read(shm)).isEqualTo(h);
                assertThat(index.find(1, 4070, 1)).isEqualTo(3900);
                assertThat(index.find(11, 4070, 1)).isEqualTo(3910);
                assertThat(new WalIndexCheckpointInfo(shm).readMark(1)).isEqualTo(4070);

                ShmAccess reader = new SharedMemoryShm(memory, p, false);
                assertThatThrownBy(() -> reader.ensureRegions(3)).isInstanceOf(IOException.class);
            } finally {
                memory.close();
                locks.unlockAll(owner);
            }
        }
        // the same bytes, read back from the file by another implementation
        byte[] file = Files.readAllBytes(p);
        assertThat(file).hasSize(2 * 32768);
        HeapShm copy = new HeapShm();
        copy.ensureRegions(2);
        copy.write(0, file, 0, 32768);
        copy.write(32768, file, 32768, 32768);
        assertThat(WalIndexHeader.read(copy)).isEqualTo(h);
        assertThat(new WalIndexHashTable(copy).find(11, 4070, 1)).isEqualTo(3910);
    }
}
