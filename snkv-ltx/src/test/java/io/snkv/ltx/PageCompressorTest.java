package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.junit.jupiter.api.Test;

/** Every block the page compressor writes must decode, with lz4-java's safe decoder, to exactly its input. */
class PageCompressorTest {
    private static final LZ4SafeDecompressor DECODER = LZ4Factory.safeInstance().safeDecompressor();
    private static final long SEED = Long.getLong("ltx.seed", System.nanoTime());

    private static void assertRoundTrip(PageCompressor c, byte[] page, String what) {
        byte[] out = new byte[PageCompressor.maxCompressedLength(page.length)];
        int n = c.compress(page, page.length, out);
        byte[] back = new byte[page.length];
        int m = DECODER.decompress(out, 0, n, back, 0, back.length);
        assertThat(m).as(what + ": decoded length").isEqualTo(page.length);
        assertThat(back).as(what).isEqualTo(page);
        // LZ4's end rule: the block ends with a literals-only sequence of at least 5 bytes (or the input is shorter).
        assertThat(n).as(what + ": within bound").isLessThanOrEqualTo(PageCompressor.maxCompressedLength(page.length));
    }

    static byte[] btreeLike(Random r, int size) {
        byte[] p = new byte[size];
        int off = 8 + r.nextInt(64);
        while (off < size - 80) {
            byte[] cell = String.format("key_%08dvalue_%08d_with_some_additional_data_to_make_it_realistic",
                    r.nextInt(1_000_000), r.nextInt(1_000_000)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(cell, 0, p, off, cell.length);
            off += cell.length + r.nextInt(4);
        }
        return p;
    }

    @Test
    void everyKindOfPageRoundTrips() {
        System.out.println("[PageCompressorTest] seed " + SEED + " (-Dltx.seed=" + SEED + ")");
        Random r = new Random(SEED);
        PageCompressor c = new PageCompressor();
        for (int size : new int[] {0, 1, 4, 12, 13, 17, 64, 511, 512, 1024, 4096, 8192, 32768, 65536}) {
            byte[] zeros = new byte[size];
            assertRoundTrip(c, zeros, "zeros " + size);
            byte[] random = new byte[size];
            r.nextBytes(random);
            assertRoundTrip(c, random, "random " + size);
            if (size >= 200) {
                assertRoundTrip(c, btreeLike(r, size), "b-tree-like " + size);
            }
            byte[] runs = new byte[size];
            for (int i = 0; i < size; i++) {
                runs[i] = (byte) ((i / (1 + r.nextInt(300))) % 3);
            }
            assertRoundTrip(c, runs, "runs " + size);
        }
        for (int i = 0; i < 3000; i++) {
            int size = 1 + r.nextInt(r.nextBoolean() ? 600 : 65536);
            byte[] p = new byte[size];
            int alphabet = 1 + r.nextInt(r.nextBoolean() ? 4 : 256);
            int pos = 0;
            while (pos < size) {
                if (pos > 10 && r.nextInt(3) == 0) {
                    int from = r.nextInt(pos);
                    int len = Math.min(size - pos, 1 + r.nextInt(r.nextBoolean() ? 20 : 3000));
                    for (int k = 0; k < len; k++) {
                        p[pos + k] = p[from + k]; // overlapping copies make long, self-referencing matches
                    }
                    pos += len;
                } else {
                    p[pos++] = (byte) r.nextInt(alphabet);
                }
            }
            assertRoundTrip(c, p, "mixed page " + i + " of " + size + " bytes");
        }
    }

    @Test
    void compressesAboutAsWellAsLz4Itself() {
        Random r = new Random(SEED);
        PageCompressor c = new PageCompressor();
        var lz4 = LZ4Factory.safeInstance().fastCompressor();
        long ours = 0;
        long theirs = 0;
        for (int i = 0; i < 200; i++) {
            byte[] p = btreeLike(r, 4096);
            byte[] out = new byte[PageCompressor.maxCompressedLength(4096)];
            ours += c.compress(p, p.length, out);
            theirs += lz4.compress(p, 0, p.length, new byte[lz4.maxCompressedLength(4096)], 0);
        }
        assertThat((double) ours).as("ours %d vs lz4-java %d bytes", ours, theirs).isLessThan(theirs * 1.05);
    }

    @Test
    void staleTableEntriesFromEarlierPagesAreNeverUsed() {
        PageCompressor c = new PageCompressor();
        Random r = new Random(SEED + 1);
        byte[] a = btreeLike(r, 4096);
        byte[] b = Arrays.copyOf(a, 4096);
        b[100] ^= 1;
        for (int i = 0; i < 50; i++) {
            assertRoundTrip(c, i % 2 == 0 ? a : b, "alternating pages, round " + i);
            assertRoundTrip(c, Arrays.copyOf(a, 700 + i), "shorter page after a longer one");
        }
    }
}
