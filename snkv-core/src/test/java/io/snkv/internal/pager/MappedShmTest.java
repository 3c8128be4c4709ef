package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedShmTest {
    @TempDir
    Path dir;

    @Test
    void growsInWholeRegionsAndSharesBytesBetweenMappings() throws Exception {
        Path p = dir.resolve("db-shm");
        try (MappedShm w = MappedShm.open(p, false); MappedShm r = MappedShm.open(p, true)) {
            assertThat(w.regionCount()).isZero();
            w.ensureRegions(3);
            assertThat(Files.size(p)).isEqualTo(3 * 32768L);
            w.putInt(32768 * 2 + 16, 0x12345678);
            w.putU16(100, 0xfffe);
            WalIndexHeader h = WalIndexHeader.of(3, false, 4096, 10, 11, 12, 13, 14, 15);
            h.write(w);
            r.ensureRegions(3);
            assertThat(r.getInt(32768 * 2 + 16)).isEqualTo(0x12345678);
            assertThat(r.getU16(100)).isEqualTo(0xfffe);
            assertThat(WalIndexHeader.read(r)).isEqualTo(h);
            w.putInt(32768 * 2 + 16, 7); // visible at once through the other mapping
            assertThat(r.getInt(32768 * 2 + 16)).isEqualTo(7);
            assertThatThrownBy(() -> r.ensureRegions(4)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> r.putInt(0, 1)).isInstanceOf(java.nio.ReadOnlyBufferException.class);
            assertThatThrownBy(() -> w.read(32768 - 8, new byte[16], 0, 16)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.getInt(3 * 32768)).isInstanceOf(IllegalArgumentException.class);
            w.zero(32768 * 2, 32768);
            assertThat(r.getInt(32768 * 2 + 16)).isZero();
        }
    }

    @Test
    void existingContentIsKeptWhenTheFileGrows() throws Exception {
        Path p = dir.resolve("grow-shm");
        try (MappedShm w = MappedShm.open(p, false)) {
            w.ensureRegions(1);
            w.putInt(32764, 99);
        }
        Files.write(p, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        try (MappedShm w = MappedShm.open(p, false)) {
            w.ensureRegions(2);
            assertThat(w.getInt(32764)).isEqualTo(99);
            byte[] b = new byte[4];
            w.read(32768, b, 0, 4);
            assertThat(b).containsExactly(1, 2, 3, 0);
            assertThat(Files.size(p)).isEqualTo(65536);
        }
    }

    @Test
    void shortReadOnlyFileHasNoHeader() throws Exception {
        Path p = dir.resolve("short-shm");
        Files.write(p, new byte[3]); // what SQLite's unix VFS leaves when it resets the file
        try (MappedShm r = MappedShm.open(p, true)) {
            assertThat(WalIndexHeader.read(r)).isNull();
        }
        try (MappedShm w = MappedShm.open(p, false)) {
            assertThat(WalIndexHeader.read(w)).isNull(); // grown to one zeroed region
            assertThat(Files.size(p)).isEqualTo(32768);
        }
    }

    @Test
    void closedMappingRefusesAccess() throws Exception {
        MappedShm w = MappedShm.open(dir.resolve("closed-shm"), false);
        w.ensureRegions(1);
        w.close();
        assertThatThrownBy(() -> w.getInt(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.ensureRegions(1)).isInstanceOf(IOException.class);
    }
}
