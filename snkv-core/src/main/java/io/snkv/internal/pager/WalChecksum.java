package io.snkv.internal.pager;

/**
 * SQLite's WAL checksum: over 32-bit words taken in pairs (x0, x1), s0 += x0 + s1; s1 += x1 + s0,
 * seeded with the previous checksum. The header's magic picks the byte order of the words:
 * 0x377f0682 little-endian, 0x377f0683 big-endian.
 */
final class WalChecksum {
    int s0;
    int s1;
    private final boolean bigEndian;

    WalChecksum(boolean bigEndian, int s0, int s1) {
        this.bigEndian = bigEndian;
        this.s0 = s0;
        this.s1 = s1;
    }

    void update(byte[] b, int off, int len) {
        int a = s0;
        int c = s1;
        int end = off + len;
        if (bigEndian) {
            for (int i = off; i < end; i += 8) {
                a += word(b, i, true) + c;
                c += word(b, i + 4, true) + a;
            }
        } else {
            for (int i = off; i < end; i += 8) {
                a += word(b, i, false) + c;
                c += word(b, i + 4, false) + a;
            }
        }
        s0 = a;
        s1 = c;
    }

    private static int word(byte[] b, int i, boolean be) {
        if (be) {
            return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | ((b[i + 3] & 0xff) << 24);
    }
}
