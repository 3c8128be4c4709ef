package io.snkv.internal.btree;

/** Big-endian integers and SQLite varints in byte arrays. */
public final class Bytes {
    private Bytes() {
    }

    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    public static int u32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static long u32L(byte[] b, int off) {
        return u32(b, off) & 0xffffffffL;
    }

    public static long u64(byte[] b, int off) {
        return ((long) u32(b, off) << 32) | u32L(b, off + 4);
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static void put64(byte[] b, int off, long v) {
        put32(b, off, (int) (v >>> 32));
        put32(b, off + 4, (int) v);
    }

    /** Bytes a varint of {@code v} takes. */
    public static int varintLen(long v) {
        if (v < 0 || v > 0x00ffffffffffffffL) {
            return 9;
        }
        int n = 1;
        long w = v;
        while ((w >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Writes an SQLite varint (big-endian base-128, 9th byte carries 8 bits); returns its length. */
    public static int putVarint(byte[] b, int off, long v) {
        if ((v & ~0x7fL) == 0) {
            b[off] = (byte) v;
            return 1;
        }
        if ((v & ~0x3fffL) == 0) {
            b[off] = (byte) ((v >>> 7) | 0x80);
            b[off + 1] = (byte) (v & 0x7f);
            return 2;
        }
        if ((v & 0xff00000000000000L) != 0) {
            b[off + 8] = (byte) v;
            long w = v >>> 8;
            for (int i = 7; i >= 0; i--) {
                b[off + i] = (byte) ((w & 0x7f) | 0x80);
                w >>>= 7;
            }
            return 9;
        }
        int n = varintLen(v);
        long w = v;
        for (int i = n - 1; i >= 0; i--) {
            b[off + i] = (byte) ((w & 0x7f) | (i == n - 1 ? 0 : 0x80));
            w >>>= 7;
        }
        return n;
    }

    /**
     * Reads a varint at {@code off}, not past {@code limit}.
     *
     * @return the value; its length is in {@code len[0]}, or -1 there when the varint runs past {@code limit}
     */
    public static long getVarint(byte[] b, int off, int limit, int[] len) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            if (off + i >= limit) {
                len[0] = -1;
                return 0;
            }
            int c = b[off + i] & 0xff;
            v = (v << 7) | (c & 0x7f);
            if ((c & 0x80) == 0) {
                len[0] = i + 1;
                return v;
            }
        }
        if (off + 8 >= limit) {
            len[0] = -1;
            return 0;
        }
        len[0] = 9;
        return (v << 8) | (b[off + 8] & 0xff);
    }

    private static final java.lang.invoke.VarHandle LONG_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * Unsigned lexicographic order, shorter prefix first. Eight bytes at a time: keys are short, where
     * the JDK's vectorised mismatch costs more to set up than it saves.
     */
    public static int compareKeys(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        int n = Math.min(aLen, bLen);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONG_BE.get(a, aOff + i);
            long y = (long) LONG_BE.get(b, bOff + i);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < n; i++) {
            int c = (a[aOff + i] & 0xff) - (b[bOff + i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(aLen, bLen);
    }
}
