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
        crc = advance(crc, b, off, len);
        return this;
    }

    /**
     * Adds {@code len} bytes known only by their {@link #raw} CRC: the register moves as if the bytes were
     * read (CRC is linear: reading d from register s gives shift(s, |d|) XOR raw(d)). Lets one pass over a
     * page serve several checksums that cover it.
     */
    public Crc64Iso updateRaw(long rawCrc, int len) {
        crc = shift(crc, len) ^ rawCrc;
        return this;
    }

    /** The CRC register after reading {@code b[off, off+len)} from register 0 (no inversions): see {@link #updateRaw}. */
    public static long raw(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return advance(0, b, off, len);
    }

    /** The register {@code state} after {@code len} zero bytes, by a table per length (8 lookups). */
    public static long shift(long state, int len) {
        long[] t = SHIFTS.computeIfAbsent(len, Crc64Iso::shiftTable);
        long r = 0;
        for (int k = 0; k < 8; k++) {
            r ^= t[k * 256 + (int) ((state >>> (8 * k)) & 0xFF)];
        }
        return r;
    }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, long[]> SHIFTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Entry [k * 256 + b]: the register (b << 8k) moved over {@code len} zero bytes; built from the 64 single-bit registers. */
    private static long[] shiftTable(int len) {
        byte[] zeros = new byte[len];
        long[] bit = new long[64];
        for (int i = 0; i < 64; i++) {
            bit[i] = advance(1L << i, zeros, 0, len);
        }
        long[] t = new long[8 * 256];
        for (int k = 0; k < 8; k++) {
            for (int b = 1; b < 256; b++) {
                long v = 0;
                for (int j = 0; j < 8; j++) {
                    if ((b & (1 << j)) != 0) {
                        v ^= bit[8 * k + j];
                    }
                }
                t[k * 256 + b] = v;
            }
        }
        return t;
    }

    private static long advance(long c, byte[] b, int off, int len) {
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
        return c;
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
