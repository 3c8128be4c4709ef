package io.snkv.ltx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * LZ4 block compression of one page (at most 64 KiB), as LZ4's default "fast" level produces it: a
 * 4-byte hash table of 4,096 positions, matches of at least 4 bytes within 65,535 bytes back, the
 * block ending in at least 5 literal bytes with no match starting in its last 12 bytes. Written here
 * rather than taken from lz4-java because that library's pure-Java compressor reads its input a byte at a
 * time and allocates its table per call (about 420 MB/s here); every captured page goes through this on
 * the commit path. Decompression stays with lz4-java's safe decoder, which also checks what this writes
 * in the tests. Not thread-safe: one per thread.
 */
public final class PageCompressor {
    public static final int MAX_INPUT = 65536;
    private static final int MIN_MATCH = 4;
    private static final int LAST_LITERALS = 5;
    private static final int MF_LIMIT = 12;
    private static final int MAX_DISTANCE = 65535;
    private static final int HASH_LOG = 12;
    private static final int SKIP_STRENGTH = 6;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Positions plus {@link #base}: entries below {@code base} are from earlier pages, so no clearing per call. */
    private final int[] table = new int[1 << HASH_LOG];
    private int base = 1;

    /** The worst case for {@code len} input bytes (all literals). */
    public static int maxCompressedLength(int len) {
        return len + len / 255 + 16;
    }

    private static int hash(int sequence) {
        return (sequence * -1640531535) >>> (32 - HASH_LOG);
    }

    private static int read32(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    /**
     * Compresses {@code src[0, len)} into {@code dst} from offset 0.
     *
     * @return the compressed length
     */
    public int compress(byte[] src, int len, byte[] dst) {
        if (len > MAX_INPUT || len < 0) {
            throw new IllegalArgumentException("page of " + len + " bytes: at most " + MAX_INPUT);
        }
        if (dst.length < maxCompressedLength(len)) {
            throw new IllegalArgumentException("output buffer of " + dst.length + " bytes is too small");
        }
        if (base > Integer.MAX_VALUE - 2 * MAX_INPUT) {
            Arrays.fill(table, 0);
            base = 1;
        }
        int b = base;
        base += len + 1;
        int op = 0;
        int anchor = 0;
        if (len < MF_LIMIT + 1) {
            return lastLiterals(src, anchor, len, dst, op);
        }
        int mfLimit = len - MF_LIMIT;
        int matchLimit = len - LAST_LITERALS;
        int ip = 0;
        table[hash(read32(src, ip))] = b + ip;
        ip++;
        int forwardH = hash(read32(src, ip));
        outer:
        while (true) {
            int match;
            int forwardIp = ip;
            int step = 1;
            int searchMatchNb = 1 << SKIP_STRENGTH;
            do {
                int h = forwardH;
                ip = forwardIp;
                forwardIp += step;
                step = searchMatchNb++ >>> SKIP_STRENGTH;
                if (forwardIp > mfLimit) {
                    break outer;
                }
                match = table[h] - b;
                table[h] = b + ip;
                forwardH = hash(read32(src, forwardIp));
            } while (match < 0 || ip - match > MAX_DISTANCE || read32(src, match) != read32(src, ip));
            while (ip > anchor && match > 0 && src[ip - 1] == src[match - 1]) {
                ip--;
                match--;
            }
            int token = op++;
            int litLen = ip - anchor;
            if (litLen >= 15) {
                dst[token] = (byte) 0xF0;
                op = writeLength(dst, op, litLen - 15);
            } else {
                dst[token] = (byte) (litLen << 4);
            }
            System.arraycopy(src, anchor, dst, op, litLen);
            op += litLen;
            while (true) {
                int offset = ip - match;
                dst[op++] = (byte) offset;
                dst[op++] = (byte) (offset >>> 8);
                ip += MIN_MATCH;
                int matchLen = commonBytes(src, match + MIN_MATCH, ip, matchLimit);
                ip += matchLen;
                if (matchLen >= 15) {
                    dst[token] |= 0x0F;
                    op = writeLength(dst, op, matchLen - 15);
                } else {
                    dst[token] |= (byte) matchLen;
                }
                anchor = ip;
                if (ip > mfLimit) {
                    break outer;
                }
                table[hash(read32(src, ip - 2))] = b + ip - 2;
                int h = hash(read32(src, ip));
                match = table[h] - b;
                table[h] = b + ip;
                if (match >= 0 && ip - match <= MAX_DISTANCE && read32(src, match) == read32(src, ip)) {
                    token = op++;
                    dst[token] = 0;
                    continue;
                }
                break;
            }
            ip++;
            forwardH = hash(read32(src, ip));
        }
        return lastLiterals(src, anchor, len, dst, op);
    }

    /** Bytes equal at {@code a} and {@code i} onwards, stopping before {@code limit} (for {@code i}). */
    private static int commonBytes(byte[] src, int a, int i, int limit) {
        int start = i;
        while (i <= limit - 8) {
            long x = (long) LONG_LE.get(src, a) ^ (long) LONG_LE.get(src, i);
            if (x != 0) {
                return i - start + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            a += 8;
            i += 8;
        }
        while (i < limit && src[a] == src[i]) {
            a++;
            i++;
        }
        return i - start;
    }

    private static int writeLength(byte[] dst, int op, int n) {
        while (n >= 255) {
            dst[op++] = (byte) 255;
            n -= 255;
        }
        dst[op++] = (byte) n;
        return op;
    }

    private static int lastLiterals(byte[] src, int anchor, int len, byte[] dst, int op) {
        int litLen = len - anchor;
        if (litLen >= 15) {
            dst[op++] = (byte) 0xF0;
            op = writeLength(dst, op, litLen - 15);
        } else {
            dst[op++] = (byte) (litLen << 4);
        }
        System.arraycopy(src, anchor, dst, op, litLen);
        return op + litLen;
    }
}
