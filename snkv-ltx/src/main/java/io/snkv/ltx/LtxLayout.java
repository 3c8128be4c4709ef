package io.snkv.ltx;

/** Sizes and byte offsets of the LTX v3 layout described in the package documentation. */
public final class LtxLayout {
    private LtxLayout() {}

    /** ASCII "LTX1". */
    public static final int MAGIC = 0x4C545831;

    public static final int HEADER_SIZE = 100;
    public static final int OFF_MAGIC = 0;
    public static final int OFF_FLAGS = 4;
    public static final int OFF_PAGE_SIZE = 8;
    public static final int OFF_COMMIT = 12;
    public static final int OFF_MIN_TXID = 16;
    public static final int OFF_MAX_TXID = 24;
    public static final int OFF_TIMESTAMP = 32;
    public static final int OFF_PRE_APPLY_CHECKSUM = 40;
    public static final int OFF_WAL_OFFSET = 48;
    public static final int OFF_WAL_SIZE = 56;
    public static final int OFF_WAL_SALT1 = 64;
    public static final int OFF_WAL_SALT2 = 68;
    public static final int OFF_NODE_ID = 72;
    public static final int OFF_RESERVED = 80;
    public static final int RESERVED_SIZE = 20;

    /** Header flag: the file carries no database checksums. */
    public static final int HEADER_FLAG_NO_CHECKSUM = 0x2;

    public static final int FRAME_OFF_PGNO = 0;
    public static final int FRAME_OFF_FLAGS = 4;
    public static final int FRAME_OFF_SIZE = 6;
    public static final int FRAME_OFF_DATA = 10;
    /** Page number and flags; the zero page header that ends the frames has this size. */
    public static final int PAGE_HEADER_SIZE = 6;
    public static final int SIZE_PREFIX_SIZE = 4;
    /** Frame flag: a 4-byte compressed size follows the page header. */
    public static final int FRAME_FLAG_SIZE = 0x0001;

    public static final int INDEX_LENGTH_SIZE = 8;

    public static final int TRAILER_SIZE = 16;
    public static final int TRAILER_OFF_POST_APPLY_CHECKSUM = 0;
    public static final int TRAILER_OFF_FILE_CHECKSUM = 8;

    public static final int MIN_PAGE_SIZE = 512;
    public static final int MAX_PAGE_SIZE = 65536;
    /** SQLite's pending byte: the page holding it (the lock page) is never stored. */
    public static final long PENDING_BYTE = 0x40000000L;
    /** Largest page number a 4-byte field can hold. */
    public static final long MAX_PGNO = 0xFFFFFFFFL;
}
