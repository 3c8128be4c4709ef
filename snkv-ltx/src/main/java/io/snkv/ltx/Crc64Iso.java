package io.snkv.ltx;

/**
 * CRC-64/GO-ISO (reflected polynomial 0xD800000000000000, init and final XOR all ones), as Go's
 * {@code crc64.Checksum(data, crc64.MakeTable(crc64.ISO))}. Table-driven, slicing-by-8.
 * Instances are not thread-safe; the tables are shared and immutable.
 */
public final class Crc64Iso {
    private static final long POLY_REFLECTED = 0xD800000000000000L;
    private static final long[][] TABLES = makeTables();

    private long crc = ~0L;

    private static long[][] makeTables() {
        long[][] t = new long[8][256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            t[0][i] = c;
        }
        for (int i = 0; i < 256; i++) {
            for (int k = 1; k < 8; k++) {
                long prev = t[k - 1][i];
                t[k][i] = (prev >>> 8) ^ t[0][(int) (prev & 0xFF)];
            }
        }
        return t;
    }

    /** One-shot checksum of a whole array. */
    public static long checksum(byte[] data) {
        return new Crc64Iso().update(data, 0, data.length).value();
    }

    public Crc64Iso update(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long c = crc;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int end = off + len;
        while (end - off >= 8) {
            c ^= (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16
                    | (b[off + 3] & 0xFFL) << 24 | (b[off + 4] & 0xFFL) << 32 | (b[off + 5] & 0xFFL) << 40
                    | (b[off + 6] & 0xFFL) << 48 | (b[off + 7] & 0xFFL) << 56;
            c = t7[(int) (c & 0xFF)] ^ t6[(int) ((c >>> 8) & 0xFF)] ^ t5[(int) ((c >>> 16) & 0xFF)]
                    ^ t4[(int) ((c >>> 24) & 0xFF)] ^ t3[(int) ((c >>> 32) & 0xFF)]
                    ^ t2[(int) ((c >>> 40) & 0xFF)] ^ t1[(int) ((c >>> 48) & 0xFF)] ^ t0[(int) (c >>> 56)];
            off += 8;
        }
        while (off < end) {
            c = t0[(int) ((c ^ b[off++]) & 0xFF)] ^ (c >>> 8);
        }
        crc = c;
        return this;
    }

    /** Adds the 8 big-endian bytes of {@code v}. */
    public Crc64Iso updateLong(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return update(b, 0, 8);
    }

    /** The checksum of everything added so far. */
    public long value() {
        return ~crc;
    }

    public void reset() {
        crc = ~0L;
    }
}
