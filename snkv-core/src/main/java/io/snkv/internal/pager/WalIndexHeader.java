package io.snkv.internal.pager;

import static io.snkv.internal.pager.WalIndexFormat.HDR_BIG_END_CKSUM;
import static io.snkv.internal.pager.WalIndexFormat.HDR_CHANGE;
import static io.snkv.internal.pager.WalIndexFormat.HDR_CKSUM;
import static io.snkv.internal.pager.WalIndexFormat.HDR_FRAME_CKSUM;
import static io.snkv.internal.pager.WalIndexFormat.HDR_IS_INIT;
import static io.snkv.internal.pager.WalIndexFormat.HDR_MX_FRAME;
import static io.snkv.internal.pager.WalIndexFormat.HDR_N_PAGE;
import static io.snkv.internal.pager.WalIndexFormat.HDR_PAGE_SIZE;
import static io.snkv.internal.pager.WalIndexFormat.HDR_SALT;
import static io.snkv.internal.pager.WalIndexFormat.HDR_UNUSED;
import static io.snkv.internal.pager.WalIndexFormat.HDR_VERSION;
import static io.snkv.internal.pager.WalIndexFormat.HEADER_COPY_1;
import static io.snkv.internal.pager.WalIndexFormat.HEADER_COPY_2;
import static io.snkv.internal.pager.WalIndexFormat.HEADER_COPY_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The wal-index header (SQLite's WalIndexHdr, 48 bytes, stored twice at offsets 0 and 48 of the
 * {@code -shm}; layout in {@link WalIndexFormat}). An immutable value; {@link #read} and {@link #write}
 * move it in and out of shared memory with SQLite's double-copy protocol.
 *
 * @param version iVersion; {@link WalIndexFormat#VERSION} is the only one SQLite (and we) understand:
 *     a valid header with another version must make the caller refuse the database
 * @param change iChange, changed by every commit so readers notice a new snapshot
 * @param bigEndianChecksum WAL checksums are over big-endian words (WAL magic 0x377f0683)
 * @param pageSize database page size in bytes, 512..65536, or 0 when no commit was ever recovered
 * @param mxFrame last frame of the last committed transaction, 0 for an empty log
 * @param nPage database size in pages after that commit
 * @param frameChecksum0 first word of the cumulative WAL checksum after frame {@code mxFrame}
 * @param frameChecksum1 second word of that checksum
 * @param salt1 salt-1 of the WAL header (as {@link WalFile} reads it, big-endian)
 * @param salt2 salt-2 of the WAL header
 */
record WalIndexHeader(int version, int change, boolean bigEndianChecksum, int pageSize, int mxFrame, int nPage,
                      int frameChecksum0, int frameChecksum1, int salt1, int salt2) {

    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    WalIndexHeader {
        if (!validPageSize(pageSize)) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
    }

    private static boolean validPageSize(int pageSize) {
        return pageSize == 0 || (pageSize >= 512 && pageSize <= 65536 && Integer.bitCount(pageSize) == 1);
    }

    /** A header of the current version. */
    static WalIndexHeader of(int change, boolean bigEndianChecksum, int pageSize, int mxFrame, int nPage,
                             int frameChecksum0, int frameChecksum1, int salt1, int salt2) {
        return new WalIndexHeader(WalIndexFormat.VERSION, change, bigEndianChecksum, pageSize, mxFrame, nPage,
                frameChecksum0, frameChecksum1, salt1, salt2);
    }

    boolean isSupportedVersion() {
        return version == WalIndexFormat.VERSION;
    }

    /** The same header with a new end of log (and a bumped change counter), as a commit publishes it. */
    WalIndexHeader withCommit(int newMxFrame, int newNPage, int newChecksum0, int newChecksum1) {
        return new WalIndexHeader(version, change + 1, bigEndianChecksum, pageSize, newMxFrame, newNPage,
                newChecksum0, newChecksum1, salt1, salt2);
    }

    /**
     * szPage is 16 bits: sizes up to 32768 are stored as they are, 65536 as 1 (SQLite 3.7.1 onwards).
     */
    static int encodePageSize(int pageSize) {
        return (pageSize & 0xff00) | (pageSize >>> 16);
    }

    static int decodePageSize(int stored) {
        return (stored & 0xfe00) + ((stored & 1) << 16);
    }

    /** One 48-byte copy, isInit = 1, checksum filled in. */
    byte[] encode() {
        byte[] b = new byte[HEADER_COPY_SIZE];
        ByteBuffer nat = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        nat.putInt(HDR_VERSION, version);
        nat.putInt(HDR_UNUSED, 0);
        nat.putInt(HDR_CHANGE, change);
        b[HDR_IS_INIT] = 1;
        b[HDR_BIG_END_CKSUM] = (byte) (bigEndianChecksum ? 1 : 0);
        nat.putShort(HDR_PAGE_SIZE, (short) encodePageSize(pageSize));
        nat.putInt(HDR_MX_FRAME, mxFrame);
        nat.putInt(HDR_N_PAGE, nPage);
        nat.putInt(HDR_FRAME_CKSUM, frameChecksum0);
        nat.putInt(HDR_FRAME_CKSUM + 4, frameChecksum1);
        // The salts are the WAL header's bytes, copied, so they stay big-endian on every host.
        ByteBuffer big = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        big.putInt(HDR_SALT, salt1);
        big.putInt(HDR_SALT + 4, salt2);
        WalChecksum ck = checksum(b);
        nat.putInt(HDR_CKSUM, ck.s0);
        nat.putInt(HDR_CKSUM + 4, ck.s1);
        return b;
    }

    private static WalChecksum checksum(byte[] copy) {
        WalChecksum ck = new WalChecksum(NATIVE_BIG_ENDIAN, 0, 0);
        ck.update(copy, 0, HDR_CKSUM);
        return ck;
    }

    /**
     * Decodes one copy, or returns null when it is not initialised (isInit 0, as in a zeroed file) or its
     * checksum is wrong.
     */
    static WalIndexHeader decode(byte[] copy) {
        if (copy.length != HEADER_COPY_SIZE || copy[HDR_IS_INIT] == 0) {
            return null;
        }
        ByteBuffer nat = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        WalChecksum ck = checksum(copy);
        if (ck.s0 != nat.getInt(HDR_CKSUM) || ck.s1 != nat.getInt(HDR_CKSUM + 4)) {
            return null;
        }
        int pageSize = decodePageSize(nat.getShort(HDR_PAGE_SIZE) & 0xffff);
        if (!validPageSize(pageSize)) {
            return null; // no SQLite writes this; garbage that happens to checksum, not a page size
        }
        ByteBuffer big = ByteBuffer.wrap(copy).order(ByteOrder.BIG_ENDIAN);
        return new WalIndexHeader(nat.getInt(HDR_VERSION), nat.getInt(HDR_CHANGE), copy[HDR_BIG_END_CKSUM] != 0,
                pageSize, nat.getInt(HDR_MX_FRAME), nat.getInt(HDR_N_PAGE),
                nat.getInt(HDR_FRAME_CKSUM), nat.getInt(HDR_FRAME_CKSUM + 4),
                big.getInt(HDR_SALT), big.getInt(HDR_SALT + 4));
    }

    /**
     * Reads the header as a SQLite reader does: the first copy, a barrier, the second copy. Returns null
     * unless both copies are byte-for-byte identical, initialised and correctly checksummed (a writer
     * was midway, or the file is new or damaged: the caller retries or recovers). Also null when the
     * file is open read-only and too short to hold region 0.
     */
    static WalIndexHeader read(ShmAccess shm) throws IOException {
        if (shm.regionCount() == 0) {
            try {
                shm.ensureRegions(1);
            } catch (IOException e) {
                if (shm.isReadOnly()) {
                    return null;
                }
                throw e;
            }
        }
        byte[] h1 = new byte[HEADER_COPY_SIZE];
        byte[] h2 = new byte[HEADER_COPY_SIZE];
        shm.read(HEADER_COPY_1, h1, 0, HEADER_COPY_SIZE);
        shm.fence();
        shm.read(HEADER_COPY_2, h2, 0, HEADER_COPY_SIZE);
        if (!Arrays.equals(h1, h2)) {
            return null;
        }
        return decode(h1);
    }

    /**
     * Publishes this header: the second copy, a barrier, then the first, so a reader that reads the
     * copies in the opposite order never accepts a half-written header. The caller holds the WAL
     * write lock (or is running recovery).
     */
    void write(ShmAccess shm) throws IOException {
        shm.ensureRegions(1);
        byte[] b = encode();
        shm.write(HEADER_COPY_2, b, 0, HEADER_COPY_SIZE);
        shm.fence();
        shm.write(HEADER_COPY_1, b, 0, HEADER_COPY_SIZE);
        shm.fence();
    }
}
