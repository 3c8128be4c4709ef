package io.snkv.ltx;

import static io.snkv.ltx.LtxLayout.*;

import java.nio.ByteBuffer;

/**
 * The 100-byte LTX header. {@code commit} is an unsigned 32-bit page count held in a long; TXIDs are
 * unsigned 64-bit values compared as such. Immutable.
 */
public record LtxHeader(int flags, int pageSize, long commit, long minTxid, long maxTxid, long timestamp,
        long preApplyChecksum, long walOffset, long walSize, int walSalt1, int walSalt2, long nodeId) {

    /** A header for a file not taken from a WAL, with no node ID. */
    public static LtxHeader of(int pageSize, long commit, long minTxid, long maxTxid, long timestamp,
            long preApplyChecksum) {
        return new LtxHeader(0, pageSize, commit, minTxid, maxTxid, timestamp, preApplyChecksum, 0, 0, 0, 0, 0);
    }

    /** A snapshot holds every page 1..commit and has no pre-apply checksum. */
    public boolean isSnapshot() {
        return minTxid == 1;
    }

    public boolean hasNoChecksum() {
        return (flags & HEADER_FLAG_NO_CHECKSUM) != 0;
    }

    public long lockPage() {
        return LtxChecksums.lockPage(pageSize);
    }

    /** The page after {@code pgno} in a whole database (as a snapshot holds it): skips the lock page. */
    public long pageAfter(long pgno) {
        long next = pgno + 1;
        return next == lockPage() ? next + 1 : next;
    }

    /** Checks every header rule; the exception names the field's offset in the file. */
    public void validate() throws LtxFormatException {
        if ((flags & ~HEADER_FLAG_NO_CHECKSUM) != 0) {
            throw new LtxFormatException(OFF_FLAGS, "header flags 0x" + Integer.toHexString(flags)
                    + " have bits other than 0x2 (no checksum)");
        }
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
            throw new LtxFormatException(OFF_PAGE_SIZE, "page size " + Integer.toUnsignedString(pageSize)
                    + " is not a power of two in 512..65536");
        }
        if (commit < 0 || commit > MAX_PGNO) {
            throw new LtxFormatException(OFF_COMMIT, "commit " + commit + " does not fit 32 bits");
        }
        if (minTxid == 0) {
            throw new LtxFormatException(OFF_MIN_TXID, "min TXID must be >= 1");
        }
        if (Long.compareUnsigned(maxTxid, minTxid) < 0) {
            throw new LtxFormatException(OFF_MAX_TXID, "max TXID " + Long.toUnsignedString(maxTxid)
                    + " is below min TXID " + Long.toUnsignedString(minTxid));
        }
        if (isSnapshot() || hasNoChecksum()) {
            if (preApplyChecksum != 0) {
                throw new LtxFormatException(OFF_PRE_APPLY_CHECKSUM,
                        "pre-apply checksum must be 0 for a snapshot or with the no-checksum flag");
            }
        } else if ((preApplyChecksum & LtxChecksums.FLAG) == 0) {
            throw new LtxFormatException(OFF_PRE_APPLY_CHECKSUM,
                    "pre-apply checksum must be non-zero with its top bit set");
        }
        if (walOffset < 0) {
            throw new LtxFormatException(OFF_WAL_OFFSET, "WAL offset is negative");
        }
        if (walSize < 0) {
            throw new LtxFormatException(OFF_WAL_SIZE, "WAL size is negative");
        }
        if (walOffset == 0 && walSize != 0) {
            throw new LtxFormatException(OFF_WAL_SIZE, "WAL size must be 0 when WAL offset is 0");
        }
        if (walOffset != 0 && walSize == 0) {
            throw new LtxFormatException(OFF_WAL_SIZE, "WAL size must be non-zero when WAL offset is set");
        }
        if ((walSalt1 != 0 || walSalt2 != 0) && walOffset == 0) {
            throw new LtxFormatException(walSalt1 != 0 ? OFF_WAL_SALT1 : OFF_WAL_SALT2,
                    "WAL salt set but WAL offset is 0");
        }
    }

    /** The 100 header bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putInt(OFF_MAGIC, MAGIC).putInt(OFF_FLAGS, flags).putInt(OFF_PAGE_SIZE, pageSize)
                .putInt(OFF_COMMIT, (int) commit).putLong(OFF_MIN_TXID, minTxid).putLong(OFF_MAX_TXID, maxTxid)
                .putLong(OFF_TIMESTAMP, timestamp).putLong(OFF_PRE_APPLY_CHECKSUM, preApplyChecksum)
                .putLong(OFF_WAL_OFFSET, walOffset).putLong(OFF_WAL_SIZE, walSize)
                .putInt(OFF_WAL_SALT1, walSalt1).putInt(OFF_WAL_SALT2, walSalt2).putLong(OFF_NODE_ID, nodeId);
        return b.array();
    }

    /** Parses and validates 100 header bytes. */
    public static LtxHeader parse(byte[] bytes) throws LtxFormatException {
        if (bytes.length != HEADER_SIZE) {
            throw new LtxFormatException(0, "header must be " + HEADER_SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(OFF_MAGIC) != MAGIC) {
            throw new LtxFormatException(OFF_MAGIC, "magic is not \"LTX1\"");
        }
        for (int i = 0; i < RESERVED_SIZE; i++) {
            if (bytes[OFF_RESERVED + i] != 0) {
                throw new LtxFormatException(OFF_RESERVED + i, "reserved header bytes must be zero");
            }
        }
        LtxHeader h = new LtxHeader(b.getInt(OFF_FLAGS), b.getInt(OFF_PAGE_SIZE),
                Integer.toUnsignedLong(b.getInt(OFF_COMMIT)), b.getLong(OFF_MIN_TXID), b.getLong(OFF_MAX_TXID),
                b.getLong(OFF_TIMESTAMP), b.getLong(OFF_PRE_APPLY_CHECKSUM), b.getLong(OFF_WAL_OFFSET),
                b.getLong(OFF_WAL_SIZE), b.getInt(OFF_WAL_SALT1), b.getInt(OFF_WAL_SALT2), b.getLong(OFF_NODE_ID));
        h.validate();
        return h;
    }
}
