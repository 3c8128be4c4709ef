package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalIndexHeaderTest {
    private static final WalIndexHeader SAMPLE =
            WalIndexHeader.of(7, false, 4096, 12345, 678, 0xdeadbeef, 0x01020304, 0x8899aabb, 0x0badf00d);

    @Test
    void constantsMatchSqliteLayout() {
        assertThat(WalIndexFormat.REGION_SIZE).isEqualTo(32768);
        assertThat(WalIndexFormat.HEADER_SIZE).isEqualTo(2 * 48 + 40);
        assertThat(WalIndexFormat.FRAMES_IN_BLOCK_0).isEqualTo(4062);
        assertThat(WalIndexFormat.HASH_SLOTS).isEqualTo(8192);
        assertThat(WalIndexFormat.HASH_TABLE_OFFSET + 2 * WalIndexFormat.HASH_SLOTS).isEqualTo(WalIndexFormat.REGION_SIZE);
        assertThat(WalIndexFormat.HEADER_SIZE + 4 * WalIndexFormat.FRAMES_IN_BLOCK_0).isEqualTo(WalIndexFormat.HASH_TABLE_OFFSET);
        assertThat(WalIndexFormat.readMarkOffset(4) + 4).isEqualTo(WalIndexFormat.LOCK_OFFSET);
        assertThat(WalIndexFormat.LOCK_OFFSET + WalIndexFormat.N_LOCKS).isEqualTo(WalIndexFormat.N_BACKFILL_ATTEMPTED);
        assertThat(WalIndexFormat.DMS_LOCK_OFFSET).isEqualTo(128);
        assertThat(WalIndexFormat.NOT_USED_0 + 4).isEqualTo(WalIndexFormat.HEADER_SIZE);
    }

    @Test
    void roundTripThroughSharedMemory() throws Exception {
        HeapShm shm = new HeapShm();
        SAMPLE.write(shm);
        assertThat(WalIndexHeader.read(shm)).isEqualTo(SAMPLE);
        WalIndexHeader next = SAMPLE.withCommit(12400, 700, 1, 2);
        next.write(shm);
        assertThat(WalIndexHeader.read(shm)).isEqualTo(next);
        assertThat(next.change()).isEqualTo(8);
        assertThat(next.isSupportedVersion()).isTrue();
    }

    @Test
    void encodedFieldsSitAtSqliteOffsetsInHostOrderWithBigEndianSalts() {
        byte[] b = SAMPLE.encode();
        ByteBuffer nat = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        assertThat(nat.getInt(0)).isEqualTo(3007000);
        assertThat(nat.getInt(4)).isZero();
        assertThat(nat.getInt(8)).isEqualTo(7);
        assertThat(b[12]).isEqualTo((byte) 1);
        assertThat(b[13]).isEqualTo((byte) 0);
        assertThat(nat.getShort(14)).isEqualTo((short) 4096);
        assertThat(nat.getInt(16)).isEqualTo(12345);
        assertThat(nat.getInt(20)).isEqualTo(678);
        assertThat(nat.getInt(24)).isEqualTo(0xdeadbeef);
        assertThat(nat.getInt(28)).isEqualTo(0x01020304);
        assertThat(new byte[] {b[32], b[33], b[34], b[35], b[36], b[37], b[38], b[39]})
                .containsExactly(0x88, 0x99, 0xaa, 0xbb, 0x0b, 0xad, 0xf0, 0x0d);
        int[] ck = {0, 0};
        ScannedWal.checksum(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN, ck, b, 0, 40);
        assertThat(nat.getInt(40)).isEqualTo(ck[0]);
        assertThat(nat.getInt(44)).isEqualTo(ck[1]);
        assertThat(WalIndexHeader.encodePageSize(65536)).isEqualTo(1);
        assertThat(new WalIndexHeader(3007000, 0, true, 512, 0, 0, 0, 0, 0, 0).encode()[13]).isEqualTo((byte) 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536})
    void pageSizesRoundTrip(int pageSize) {
        int stored = WalIndexHeader.encodePageSize(pageSize);
        assertThat(stored).isBetween(0, 0xffff);
        assertThat(WalIndexHeader.decodePageSize(stored)).isEqualTo(pageSize);
        WalIndexHeader h = WalIndexHeader.of(0, false, pageSize, 1, 1, 0, 0, 0, 0);
        assertThat(WalIndexHeader.decode(h.encode())).isEqualTo(h);
    }

    @Test
    void badPageSizeIsRefusedOnWrite() {
        assertThatThrownBy(() -> WalIndexHeader.of(0, false, 1000, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WalIndexHeader.of(0, false, 131072, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroedMemoryHasNoHeader() throws Exception {
        HeapShm shm = new HeapShm();
        assertThat(WalIndexHeader.read(shm)).isNull();
    }

    @Test
    void anyFlippedBitInEitherCopyIsDetected() throws Exception {
        HeapShm shm = new HeapShm();
        for (int off = 0; off < 96; off++) {
            for (int bit = 0; bit < 8; bit += 3) {
                SAMPLE.write(shm);
                flip(shm, off, bit);
                assertThat(WalIndexHeader.read(shm)).as("bit %d of byte %d", bit, off).isNull();
            }
        }
    }

    @Test
    void sameDamageInBothCopiesFailsTheChecksum() throws Exception {
        HeapShm shm = new HeapShm();
        for (int off = 0; off < 48; off++) {
            SAMPLE.write(shm);
            flip(shm, off, 0);
            flip(shm, 48 + off, 0);
            assertThat(WalIndexHeader.read(shm)).as("byte %d", off).isNull();
        }
    }

    @Test
    void uninitialisedHeaderWithRightChecksumIsRefused() throws Exception {
        byte[] b = SAMPLE.encode();
        b[12] = 0;
        ByteBuffer nat = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        int[] ck = {0, 0};
        ScannedWal.checksum(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN, ck, b, 0, 40);
        nat.putInt(40, ck[0]).putInt(44, ck[1]);
        HeapShm shm = new HeapShm();
        shm.ensureRegions(1);
        shm.write(0, b, 0, 48);
        shm.write(48, b, 0, 48);
        assertThat(WalIndexHeader.read(shm)).isNull();
        assertThat(WalIndexHeader.decode(b)).isNull();
    }

    @Test
    void otherVersionDecodesButIsNotSupported() throws Exception {
        WalIndexHeader h = new WalIndexHeader(3007001, 0, false, 1024, 3, 3, 0, 0, 0, 0);
        HeapShm shm = new HeapShm();
        h.write(shm);
        WalIndexHeader read = WalIndexHeader.read(shm);
        assertThat(read).isEqualTo(h);
        assertThat(read.isSupportedVersion()).isFalse();
    }

    @Test
    void halfWrittenHeaderIsNotAccepted() throws Exception {
        HeapShm shm = new HeapShm();
        SAMPLE.write(shm);
        byte[] next = SAMPLE.withCommit(20000, 800, 5, 6).encode();
        shm.write(48, next, 0, 48); // the writer stopped after the second copy
        assertThat(WalIndexHeader.read(shm)).isNull();
        shm.write(0, next, 0, 48);
        assertThat(WalIndexHeader.read(shm).mxFrame()).isEqualTo(20000);
    }

    @Test
    void writerStoresSecondCopyThenBarrierThenFirstCopy() throws Exception {
        RecordingShm shm = new RecordingShm(new HeapShm());
        SAMPLE.write(shm);
        assertThat(shm.events).containsSubsequence("write 48+48", "fence", "write 0+48");
        assertThat(shm.events.indexOf("write 48+48")).isLessThan(shm.events.indexOf("write 0+48"));
        shm.events.clear();
        WalIndexHeader.read(shm);
        assertThat(shm.events).containsExactly("read 0+48", "fence", "read 48+48");
    }

    private static void flip(ShmAccess shm, int off, int bit) {
        byte[] one = new byte[1];
        shm.read(off, one, 0, 1);
        one[0] ^= (byte) (1 << bit);
        shm.write(off, one, 0, 1);
    }

    /** Delegates to another ShmAccess and records the bulk accesses and barriers, in order. */
    static final class RecordingShm implements ShmAccess {
        final ShmAccess inner;
        final List<String> events = new ArrayList<>();

        RecordingShm(ShmAccess inner) {
            this.inner = inner;
        }

        @Override
        public Path path() {
            return inner.path();
        }

        @Override
        public boolean isReadOnly() {
            return inner.isReadOnly();
        }

        @Override
        public int regionCount() {
            return inner.regionCount();
        }

        @Override
        public void ensureRegions(int count) throws java.io.IOException {
            inner.ensureRegions(count);
        }

        @Override
        public int getInt(long offset) {
            return inner.getInt(offset);
        }

        @Override
        public void putInt(long offset, int value) {
            events.add("putInt " + offset);
            inner.putInt(offset, value);
        }

        @Override
        public int getU16(long offset) {
            return inner.getU16(offset);
        }

        @Override
        public void putU16(long offset, int value) {
            events.add("putU16 " + offset);
            inner.putU16(offset, value);
        }

        @Override
        public void read(long offset, byte[] dst, int dstOff, int len) {
            events.add("read " + offset + "+" + len);
            inner.read(offset, dst, dstOff, len);
        }

        @Override
        public void write(long offset, byte[] src, int srcOff, int len) {
            events.add("write " + offset + "+" + len);
            inner.write(offset, src, srcOff, len);
        }

        @Override
        public void zero(long offset, int len) {
            events.add("zero " + offset + "+" + len);
            inner.zero(offset, len);
        }

        @Override
        public void fence() {
            events.add("fence");
            inner.fence();
        }

        @Override
        public void close() throws java.io.IOException {
            inner.close();
        }
    }
}
