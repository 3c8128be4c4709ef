package io.snkv.internal.pager;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Writes WAL files frame by frame for tests, including what the engine never writes: frames of a
 * transaction with no commit frame, big-endian checksums, a foreign format version.
 */
final class WalBuilder {
    private final int pageSize;
    private final boolean bigEndian;
    private final int salt1;
    private final int salt2;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int[] ck = {0, 0};
    private final Random random;
    private int frames;

    WalBuilder(int pageSize, boolean bigEndian, int version, int seq, int salt1, int salt2, long seed) {
        this.pageSize = pageSize;
        this.bigEndian = bigEndian;
        this.salt1 = salt1;
        this.salt2 = salt2;
        this.random = new Random(seed);
        ByteBuffer h = ByteBuffer.allocate(32);
        h.putInt(bigEndian ? 0x377f0683 : 0x377f0682).putInt(version).putInt(pageSize).putInt(seq)
                .putInt(salt1).putInt(salt2);
        ScannedWal.checksum(bigEndian, ck, h.array(), 0, 24);
        h.putInt(ck[0]).putInt(ck[1]);
        out.writeBytes(h.array());
    }

    WalBuilder(int pageSize, long seed) {
        this(pageSize, false, 3007000, 0, 0x11223344, 0x55667788, seed);
    }

    /** One frame of page {@code pgno}; {@code commit} non-zero makes it a commit frame. */
    WalBuilder frame(int pgno, int commit) {
        byte[] f = new byte[24 + pageSize];
        random.nextBytes(f);
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putInt(0, pgno).putInt(4, commit).putInt(8, salt1).putInt(12, salt2);
        ScannedWal.checksum(bigEndian, ck, f, 0, 8);
        ScannedWal.checksum(bigEndian, ck, f, 24, pageSize);
        b.putInt(16, ck[0]).putInt(20, ck[1]);
        out.writeBytes(f);
        frames++;
        return this;
    }

    /** A transaction: one frame per page, the last one committing with {@code dbSize}. */
    WalBuilder commit(int dbSize, int... pgnos) {
        for (int i = 0; i < pgnos.length; i++) {
            frame(pgnos[i], i == pgnos.length - 1 ? dbSize : 0);
        }
        return this;
    }

    /** Bytes that fail the checks (a torn frame). */
    WalBuilder garbageFrame() {
        byte[] f = new byte[24 + pageSize];
        random.nextBytes(f);
        out.writeBytes(f);
        return this;
    }

    int frames() {
        return frames;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
