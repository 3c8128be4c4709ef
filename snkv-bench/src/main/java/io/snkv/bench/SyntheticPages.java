package io.snkv.bench;

import java.util.SplittableRandom;

/**
 * The page images {@link LtxCodecBench} encodes: four in five pages look like SQLite table b-tree leaf pages
 * (the 8-byte leaf header, the cell pointer array, a zero gap, then cells of {@code key_%08d} keys and
 * {@code value_%08d_with_some_additional_data_to_make_it_realistic} values from {@link WorkloadData}, each value
 * followed by {@value #RANDOM_VALUE_BYTES} random bytes as a hash or token would be, pages 70 to 100 % full), which
 * LZ4 shrinks to about half; every fifth page is random bytes, which it cannot shrink. Keys run on from page to
 * page as in one table. Deterministic for a seed. Not thread-safe while generating; the result is not copied.
 */
final class SyntheticPages {

    /** Every RANDOM_EVERY-th page (the last of each group) is random. */
    static final int RANDOM_EVERY = 5;
    static final int RANDOM_VALUE_BYTES = 64;

    static final String MIX = "4 of 5 pages b-tree-like (key_%08d keys, value_%08d_with_some_additional_data_to_make"
            + "_it_realistic values + " + RANDOM_VALUE_BYTES + " random bytes each, 70-100 % full), 1 of 5 random";

    private static final int LEAF_HEADER_SIZE = 8;
    private static final int TABLE_LEAF = 0x0D;

    private final int pageSize;
    private final SplittableRandom random;
    private int nextKey;

    private SyntheticPages(int pageSize, long seed) {
        this.pageSize = pageSize;
        this.random = new SplittableRandom(seed);
    }

    static byte[][] generate(int count, int pageSize, long seed) {
        SyntheticPages g = new SyntheticPages(pageSize, seed);
        byte[][] pages = new byte[count][];
        for (int i = 0; i < count; i++) {
            pages[i] = isRandom(i) ? g.randomPage() : g.leafPage();
        }
        return pages;
    }

    /** Whether page index {@code i} (0-based) of {@link #generate} is a random page. */
    static boolean isRandom(int i) {
        return i % RANDOM_EVERY == RANDOM_EVERY - 1;
    }

    private byte[] randomPage() {
        byte[] p = new byte[pageSize];
        random.nextBytes(p);
        return p;
    }

    private byte[] leafPage() {
        byte[] p = new byte[pageSize];
        int fill = pageSize * (70 + random.nextInt(31)) / 100;
        int contentStart = pageSize;
        int cells = 0;
        byte[] noise = new byte[RANDOM_VALUE_BYTES];
        while (true) {
            int key = nextKey % WorkloadData.MAX_NUMBER;
            byte[] k = WorkloadData.key(key);
            byte[] v = WorkloadData.value(key);
            int valueLength = v.length + RANDOM_VALUE_BYTES;
            // record: header size, serial type of the key (text), of the value (blob); then both
            byte[] header = {3, (byte) (13 + 2 * k.length), (byte) (12 + 2 * valueLength)};
            int payload = header.length + k.length + valueLength;
            int cellSize = varintLength(payload) + varintLength(key + 1L) + payload;
            int pointersEnd = LEAF_HEADER_SIZE + 2 * (cells + 1);
            if (contentStart - cellSize < Math.max(pointersEnd, pageSize - fill)) {
                break;
            }
            contentStart -= cellSize;
            int at = contentStart;
            at = putVarint(p, at, payload);
            at = putVarint(p, at, key + 1L);
            System.arraycopy(header, 0, p, at, header.length);
            at += header.length;
            System.arraycopy(k, 0, p, at, k.length);
            at += k.length;
            System.arraycopy(v, 0, p, at, v.length);
            at += v.length;
            random.nextBytes(noise);
            System.arraycopy(noise, 0, p, at, noise.length);
            putShort(p, LEAF_HEADER_SIZE + 2 * cells, contentStart);
            cells++;
            nextKey++;
        }
        p[0] = (byte) TABLE_LEAF;
        putShort(p, 3, cells);
        putShort(p, 5, contentStart == 65536 ? 0 : contentStart); // SQLite writes 65536 as 0
        return p;
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** SQLite's big-endian varint, at most 9 bytes; these values need at most 3. */
    private static int putVarint(byte[] b, int at, long v) {
        int n = varintLength(v);
        for (int i = n - 1; i >= 0; i--) {
            b[at + i] = (byte) (i == n - 1 ? v & 0x7F : (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        return at + n;
    }

    private static int varintLength(long v) {
        int n = 1;
        while (v >= 0x80 && n < 8) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
