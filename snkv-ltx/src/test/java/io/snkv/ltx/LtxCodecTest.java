package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LtxCodecTest {
    private static final long SEED = Long.getLong("ltx.seed", System.nanoTime());

    static {
        System.out.println("LtxCodecTest seed " + SEED + " (rerun with mvn test -DargLine=-Dltx.seed=" + SEED + ")");
    }

    private final Random random = new Random(SEED);

    /** A page that is partly random, partly repetitive, so both literals and matches occur. */
    private byte[] page(int pageSize) {
        byte[] p = new byte[pageSize];
        int split = random.nextInt(pageSize);
        byte[] r = new byte[split];
        random.nextBytes(r);
        System.arraycopy(r, 0, p, 0, split);
        Arrays.fill(p, split, pageSize, (byte) random.nextInt(256));
        return p;
    }

    private byte[] randomPage(int pageSize) {
        byte[] p = new byte[pageSize];
        random.nextBytes(p);
        return p;
    }

    private static byte[] encode(LtxHeader h, TreeMap<Long, byte[]> pages, long post) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxEncoder e = new LtxEncoder(out, h);
        for (var en : pages.entrySet()) {
            e.writePage(en.getKey(), en.getValue());
        }
        e.finish(post);
        return out.toByteArray();
    }

    private static long snapshotChecksum(int pageSize, TreeMap<Long, byte[]> pages) {
        long x = LtxChecksums.EMPTY_DATABASE;
        for (var en : pages.entrySet()) {
            x ^= LtxChecksums.pageChecksum(en.getKey(), en.getValue());
        }
        return x | LtxChecksums.FLAG;
    }

    private void assertRoundTrip(LtxHeader h, TreeMap<Long, byte[]> pages, long post) throws IOException {
        byte[] file = encode(h, pages, post);
        LtxDecoder d = new LtxDecoder(new ByteArrayInputStream(file));
        assertThat(d.header()).isEqualTo(h);
        TreeMap<Long, byte[]> got = new TreeMap<>();
        for (LtxPageFrame f; (f = d.readPage()) != null; ) {
            got.put(f.pageNumber(), f.data());
        }
        assertThat(got.keySet()).isEqualTo(pages.keySet());
        for (long p : pages.keySet()) {
            assertThat(got.get(p)).as("page %d seed %d", p, SEED).isEqualTo(pages.get(p));
        }
        assertThat(d.trailer().postApplyChecksum()).isEqualTo(post);
        assertThat(d.trailer().fileChecksum() & LtxChecksums.FLAG).isNotZero();
        assertThat(d.position()).isEqualTo(file.length);
        assertThat(d.readPage()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 1024, 4096, 65536})
    void snapshotRoundTrip(int pageSize) throws IOException {
        int commit = 1 + random.nextInt(pageSize == 65536 ? 4 : 20);
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (long p = 1; p <= commit; p++) {
            pages.put(p, page(pageSize));
        }
        LtxHeader h = LtxHeader.of(pageSize, commit, 1, 5, 1_700_000_000_000L, 0);
        assertRoundTrip(h, pages, snapshotChecksum(pageSize, pages));
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 2048, 8192, 32768})
    void incrementalRoundTrip(int pageSize) throws IOException {
        int commit = 50;
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
            pages.put(1L + random.nextInt(commit), random.nextBoolean() ? page(pageSize) : randomPage(pageSize));
        }
        LtxHeader h = new LtxHeader(0, pageSize, commit, 7, 9, random.nextLong(),
                LtxChecksums.FLAG | random.nextLong(), 4096, 8192, 0x1234, 0x5678, 3);
        assertRoundTrip(h, pages, LtxChecksums.FLAG | random.nextLong());
    }

    @Test
    void emptyFilesRoundTrip() throws IOException {
        assertRoundTrip(LtxHeader.of(4096, 0, 1, 1, 0, 0), new TreeMap<>(), LtxChecksums.EMPTY_DATABASE);
        assertRoundTrip(LtxHeader.of(4096, 3, 4, 4, 0, LtxChecksums.FLAG | 99), new TreeMap<>(), LtxChecksums.FLAG | 7);
        assertRoundTrip(new LtxHeader(LtxLayout.HEADER_FLAG_NO_CHECKSUM, 4096, 3, 4, 4, 0, 0, 0, 0, 0, 0, 0),
                new TreeMap<>(), 0);
    }

    @Test
    void snapshotPageOrderSkipsLockPage() {
        // A real snapshot across the lock page needs 1 GiB of pages; the rule itself is checked here.
        LtxHeader h = LtxHeader.of(65536, 20000, 1, 1, 0, 0);
        assertThat(h.pageAfter(16383)).isEqualTo(16384);
        assertThat(h.pageAfter(16384)).isEqualTo(16386);
        assertThat(h.pageAfter(0)).isEqualTo(1);
    }

    @Test
    void encoderWritesTheSpecifiedFrameLayout() throws IOException {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        pages.put(1L, new byte[512]);
        byte[] file = encode(LtxHeader.of(512, 1, 1, 1, 0, 0), pages, snapshotChecksum(512, pages));
        assertThat(Arrays.copyOfRange(file, 0, 4)).isEqualTo("LTX1".getBytes());
        assertThat(Arrays.copyOfRange(file, 100, 106)).containsExactly(0, 0, 0, 1, 0, 1);
        int n = (file[106] & 0xFF) << 24 | (file[107] & 0xFF) << 16 | (file[108] & 0xFF) << 8 | (file[109] & 0xFF);
        int after = 110 + n;
        assertThat(Arrays.copyOfRange(file, after, after + 6)).containsExactly(0, 0, 0, 0, 0, 0);
        // index: pgno 1, offset 100 (one byte), size 10+n, terminator 0; length 4 (n < 118)
        assertThat(Arrays.copyOfRange(file, after + 6, after + 10)).containsExactly(1, 100, 10 + n, 0);
        assertThat(Arrays.copyOfRange(file, after + 10, after + 18)).containsExactly(0, 0, 0, 0, 0, 0, 0, 4);
        assertThat(file.length).isEqualTo(after + 18 + 16);
    }

    // --- corruption: every byte flip and every truncation is an LtxFormatException ---

    private byte[] smallIncremental() throws IOException {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        pages.put(2L, randomPage(512));
        pages.put(5L, randomPage(512));
        pages.put(200L, randomPage(512));
        return encode(LtxHeader.of(512, 300, 3, 4, 1234, LtxChecksums.FLAG | 77), pages, LtxChecksums.FLAG | 88);
    }

    private byte[] smallSnapshot() throws IOException {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (long p = 1; p <= 3; p++) {
            pages.put(p, randomPage(512));
        }
        return encode(LtxHeader.of(512, 3, 1, 2, 1234, 0), pages, snapshotChecksum(512, pages));
    }

    private static void assertRejected(byte[] bad, String what) {
        Throwable t = catchThrowable(() -> LtxDecoder.decodeAll(bad));
        assertThat(t).as("%s (seed %d)", what, SEED).isExactlyInstanceOf(LtxFormatException.class);
        assertThat(t.getMessage()).contains("byte offset");
    }

    @Test
    void everySingleByteFlipIsRejected() throws IOException {
        for (byte[] file : List.of(smallIncremental(), smallSnapshot())) {
            assertThat(LtxDecoder.decodeAll(file)).isNotEmpty();
            for (int i = 0; i < file.length; i++) {
                byte[] bad = file.clone();
                bad[i] ^= (byte) (1 + random.nextInt(255));
                assertRejected(bad, "flip at " + i + " of " + file.length);
                bad[i] = (byte) (file[i] ^ 0x80);
                assertRejected(bad, "top-bit flip at " + i + " of " + file.length);
            }
        }
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        for (byte[] file : List.of(smallIncremental(), smallSnapshot())) {
            for (int len = 0; len < file.length; len++) {
                assertRejected(Arrays.copyOf(file, len), "truncated to " + len);
            }
        }
    }

    @Test
    void trailingBytesAreRejectedByDecodeAll() throws IOException {
        byte[] file = smallSnapshot();
        assertRejected(Arrays.copyOf(file, file.length + 1), "trailing byte");
    }

    // --- decoder rules on files with valid checksums ---

    private static String rejection(byte[] file) {
        Throwable t = catchThrowable(() -> LtxDecoder.decodeAll(file));
        assertThat(t).isExactlyInstanceOf(LtxFormatException.class);
        return t.getMessage();
    }

    @Test
    void decoderEnforcesPageRules() {
        byte[] p = new byte[512];
        LtxHeader inc = LtxHeader.of(512, 10, 2, 2, 0, LtxChecksums.FLAG | 1);
        assertThat(rejection(new RawLtxWriter(inc).page(3, 1, p).page(3, 1, p).finish(LtxChecksums.FLAG, 0)))
                .contains("byte offset").contains("increasing");
        assertThat(rejection(new RawLtxWriter(inc).page(4, 1, p).page(3, 1, p).finish(LtxChecksums.FLAG, 0)))
                .contains("increasing");
        assertThat(rejection(new RawLtxWriter(inc).page(11, 1, p).finish(LtxChecksums.FLAG, 0))).contains("above commit");
        assertThat(rejection(new RawLtxWriter(inc).page(2, 3, p).finish(LtxChecksums.FLAG, 0))).contains("flags");
        assertThat(rejection(new RawLtxWriter(inc).page(2, 0, p).finish(LtxChecksums.FLAG, 0))).contains("LZ4 frame magic");
        assertThat(rejection(new RawLtxWriter(inc).page(2, 1, new byte[511]).finish(LtxChecksums.FLAG, 0)))
                .contains("decompresses to 511");
        assertThat(rejection(new RawLtxWriter(inc).page(2, 1, p).finish(LtxChecksums.FLAG, 9))).contains("terminating 0");
        assertThat(rejection(new RawLtxWriter(inc).page(2, 1, p).finish(0, 0))).contains("post-apply");

        LtxHeader big = LtxHeader.of(65536, 20000, 2, 2, 0, LtxChecksums.FLAG | 1);
        assertThat(rejection(new RawLtxWriter(big).page(16385, 1, new byte[65536]).finish(LtxChecksums.FLAG, 0)))
                .contains("lock page");

        LtxHeader snap = LtxHeader.of(512, 3, 1, 1, 0, 0);
        assertThat(rejection(new RawLtxWriter(snap).page(1, 1, p).page(3, 1, p).finish(LtxChecksums.FLAG, 0)))
                .contains("contiguous");
        assertThat(rejection(new RawLtxWriter(snap).page(1, 1, p).page(2, 1, p).finish(LtxChecksums.FLAG, 0)))
                .contains("snapshot ends");
        assertThat(rejection(new RawLtxWriter(snap).page(1, 1, p).page(2, 1, p).page(3, 1, p)
                .finish(LtxChecksums.FLAG | 5, 0))).contains("snapshot's pages");
    }

    @Test
    void decoderEnforcesHeaderRules() {
        assertThat(rejection(new RawLtxWriter(LtxHeader.of(1000, 1, 2, 2, 0, LtxChecksums.FLAG)).finish(LtxChecksums.FLAG, 0)))
                .contains("page size");
        assertThat(rejection(new RawLtxWriter(LtxHeader.of(512, 1, 0, 2, 0, LtxChecksums.FLAG)).finish(LtxChecksums.FLAG, 0)))
                .contains("min TXID");
        assertThat(rejection(new RawLtxWriter(LtxHeader.of(512, 1, 3, 2, 0, LtxChecksums.FLAG)).finish(LtxChecksums.FLAG, 0)))
                .contains("max TXID");
        assertThat(rejection(new RawLtxWriter(LtxHeader.of(512, 1, 2, 2, 0, 5)).finish(LtxChecksums.FLAG, 0)))
                .contains("pre-apply");
        assertThat(rejection(new RawLtxWriter(LtxHeader.of(512, 1, 1, 2, 0, LtxChecksums.FLAG)).finish(LtxChecksums.FLAG, 0)))
                .contains("pre-apply");
        assertThat(rejection(new RawLtxWriter(new LtxHeader(4, 512, 1, 2, 2, 0, LtxChecksums.FLAG, 0, 0, 0, 0, 0))
                .finish(LtxChecksums.FLAG, 0))).contains("flags");
        assertThat(rejection(new RawLtxWriter(new LtxHeader(0, 512, 1, 2, 2, 0, LtxChecksums.FLAG, 0, 0, 1, 0, 0))
                .finish(LtxChecksums.FLAG, 0))).contains("salt");
        assertThat(rejection(new RawLtxWriter(new LtxHeader(0, 512, 1, 2, 2, 0, LtxChecksums.FLAG, 0, 9, 0, 0, 0))
                .finish(LtxChecksums.FLAG, 0))).contains("WAL size");
    }

    @Test
    void decoderBoundsCompressedSizeBeforeAllocating() throws IOException {
        byte[] file = smallIncremental();
        // compressed size field of the first frame at 106..109: set to 0x7FFFFFFF
        file[106] = 0x7F;
        file[107] = (byte) 0xFF;
        file[108] = (byte) 0xFF;
        file[109] = (byte) 0xFF;
        assertThat(rejection(file)).contains("byte offset 106").contains("compressed size");
    }

    @Test
    void lastLz4SequenceMustCarryNoMatchLength() {
        assertThat(LtxDecoder.endsWithLiteralsOnly(new byte[] {0x50, 1, 2, 3, 4, 5}, 6)).isTrue();
        assertThat(LtxDecoder.endsWithLiteralsOnly(new byte[] {0x51, 1, 2, 3, 4, 5}, 6)).isFalse();
        byte[] block = net.jpountz.lz4.LZ4Factory.safeInstance().fastCompressor().compress(new byte[4096]);
        assertThat(LtxDecoder.endsWithLiteralsOnly(block, block.length)).isTrue();
    }

    // --- encoder refusals ---

    @Test
    void encoderRefusesInvalidPages() throws IOException {
        byte[] p = new byte[512];
        LtxEncoder e = new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(512, 10, 2, 2, 0, LtxChecksums.FLAG | 1));
        e.writePage(5, p);
        assertThatThrownBy(() -> e.writePage(5, p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> e.writePage(4, p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> e.writePage(11, p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commit");
        assertThatThrownBy(() -> e.writePage(6, new byte[511])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.finish(5)).isInstanceOf(IllegalArgumentException.class);

        LtxEncoder big = new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(65536, 20000, 2, 2, 0, LtxChecksums.FLAG | 1));
        assertThatThrownBy(() -> big.writePage(16385, new byte[65536])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lock page");

        LtxEncoder snap = new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(512, 3, 1, 1, 0, 0));
        assertThatThrownBy(() -> snap.writePage(2, p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot");
        snap.writePage(1, p);
        assertThatThrownBy(() -> snap.finish(LtxChecksums.FLAG)).isInstanceOf(IllegalStateException.class);

        assertThatThrownBy(() -> new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(513, 1, 1, 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size");
    }

    @org.junit.jupiter.api.Test
    void olderFilesWithLz4FramePagesAreDecoded() throws IOException {
        java.util.Random r = new java.util.Random(3);
        LtxHeader inc = LtxHeader.of(4096, 10, 2, 2, 0, LtxChecksums.FLAG | 1);
        byte[] a = new byte[4096];
        byte[] b = new byte[4096];
        r.nextBytes(a);
        java.util.Arrays.fill(b, 0, 2000, (byte) 7);
        byte[] file = new RawLtxWriter(inc)
                .legacyPage(2, a, net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)
                .legacyPage(3, b, net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                        net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)
                .page(5, 1, a)
                .finish(LtxChecksums.FLAG | 5, 0);
        java.util.List<LtxPageFrame> pages = LtxDecoder.decodeAll(file);
        assertThat(pages).extracting(LtxPageFrame::pageNumber).containsExactly(2L, 3L, 5L);
        assertThat(pages.get(0).data()).isEqualTo(a);
        assertThat(pages.get(1).data()).isEqualTo(b);
        // Every flipped byte of a legacy frame is caught: by the frame's own checks or the file checksum.
        int start = 100;
        int end = start + 6 + 4200;
        for (int i = start; i < Math.min(end, file.length - 16); i += 7) {
            byte[] bad = file.clone();
            bad[i] ^= 0x20;
            assertThat(rejection(bad)).as("flip at " + i).isNotNull();
        }
        byte[] frame = new java.io.ByteArrayOutputStream().toByteArray();
        assertThat(rejection(new RawLtxWriter(inc).legacyFrame(2, b, frame).finish(LtxChecksums.FLAG, 0))).isNotNull();
    }
}
