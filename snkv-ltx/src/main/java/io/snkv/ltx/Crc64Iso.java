package io.snkv.ltx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/GO-ISO (reflected polynomial 0xD800000000000000, init and final XOR all ones), as Go's
 * {@code crc64.Checksum(data, crc64.MakeTable(crc64.ISO))}. Table-driven, slicing-by-16 (16 tables of 256
 * entries in one array, two little-endian longs a step): every page of every commit is hashed at least
 * twice (its page checksum and the file checksum), so this is on the commit path.
 * Instances are not thread-safe; the tables are shared and immutable.
 */
public final class Crc64Iso {
    private static final long POLY_REFLECTED = 0xD800000000000000L;
    /** Table k at [k * 256, k * 256 + 255]: the CRC of byte i followed by k zero bytes. */
    private static final long[] TABLES = makeTables();
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc = ~0L;

    private static long[] makeTables() {
        long[] t = new long[16 * 256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            t[i] = c;
        }
        for (int k = 1; k < 16; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = t[(k - 1) * 256 + i];
                t[k * 256 + i] = (prev >>> 8) ^ t[(int) (prev & 0xFF)];
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
        long[] t = TABLES;
        int end = off + len;
        while (end - off >= 16) {
            long x = c ^ (long) LONG_LE.get(b, off);
            long y = (long) LONG_LE.get(b, off + 8);
            c = t[15 * 256 + (int) (x & 0xFF)] ^ t[14 * 256 + (int) ((x >>> 8) & 0xFF)]
                    ^ t[13 * 256 + (int) ((x >>> 16) & 0xFF)] ^ t[12 * 256 + (int) ((x >>> 24) & 0xFF)]
                    ^ t[11 * 256 + (int) ((x >>> 32) & 0xFF)] ^ t[10 * 256 + (int) ((x >>> 40) & 0xFF)]
                    ^ t[9 * 256 + (int) ((x >>> 48) & 0xFF)] ^ t[8 * 256 + (int) (x >>> 56)]
                    ^ t[7 * 256 + (int) (y & 0xFF)] ^ t[6 * 256 + (int) ((y >>> 8) & 0xFF)]
                    ^ t[5 * 256 + (int) ((y >>> 16) & 0xFF)] ^ t[4 * 256 + (int) ((y >>> 24) & 0xFF)]
                    ^ t[3 * 256 + (int) ((y >>> 32) & 0xFF)] ^ t[2 * 256 + (int) ((y >>> 40) & 0xFF)]
                    ^ t[256 + (int) ((y >>> 48) & 0xFF)] ^ t[(int) (y >>> 56)];
            off += 16;
        }
        while (off < end) {
            c = t[(int) ((c ^ b[off++]) & 0xFF)] ^ (c >>> 8);
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
