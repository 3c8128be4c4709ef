package io.snkv.internal.pager;

/**
 * The 100-byte header at the start of page 1 (SQLite's "Database File Format", section 1.3), with the
 * meta slots SNKV reuses. Offsets are named here once; readers and writers use these constants.
 */
public final class DatabaseHeader {
    public static final int SIZE = 100;
    public static final byte[] MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public static final int OFF_PAGE_SIZE = 16;           // 2 bytes; 1 means 65536
    public static final int OFF_WRITE_VERSION = 18;       // 1 = rollback journal, 2 = WAL
    public static final int OFF_READ_VERSION = 19;
    public static final int OFF_RESERVED = 20;            // reserved bytes at the end of each page
    public static final int OFF_MAX_PAYLOAD_FRACTION = 21; // 64
    public static final int OFF_MIN_PAYLOAD_FRACTION = 22; // 32
    public static final int OFF_LEAF_PAYLOAD_FRACTION = 23; // 32
    public static final int OFF_CHANGE_COUNTER = 24;
    public static final int OFF_PAGE_COUNT = 28;          // valid when OFF_VERSION_VALID_FOR equals the change counter
    public static final int OFF_FREELIST_TRUNK = 32;
    public static final int OFF_FREELIST_COUNT = 36;
    public static final int OFF_SCHEMA_COOKIE = 40;       // SNKV meta slot 1: root page of the default family
    public static final int OFF_SCHEMA_FORMAT = 44;       // SNKV meta slot 2: number of column families
    public static final int OFF_DEFAULT_CACHE = 48;       // SNKV meta slot 3: root page of the family metadata table
    public static final int OFF_LARGEST_ROOT = 52;        // meta slot 4: auto-vacuum's largest root page (0 = no auto-vacuum)
    public static final int OFF_TEXT_ENCODING = 56;
    public static final int OFF_USER_VERSION = 60;
    public static final int OFF_INCREMENTAL_VACUUM = 64;  // 1 = incremental auto-vacuum
    public static final int OFF_APPLICATION_ID = 68;
    public static final int OFF_VERSION_VALID_FOR = 92;
    public static final int OFF_SQLITE_VERSION = 96;

    /** The SQLite version number written at offset 96 (the C SNKV library v0.8.0 writes this one). */
    public static final int SQLITE_VERSION_NUMBER = 3051002;

    private DatabaseHeader() {
    }

    /** Page size from header bytes, or -1 when not a power of two in 512..65536. */
    public static int pageSize(byte[] page1) {
        int v = ((page1[OFF_PAGE_SIZE] & 0xff) << 8) | (page1[OFF_PAGE_SIZE + 1] & 0xff);
        int size = v == 1 ? 65536 : v;
        if (size < 512 || size > 65536 || Integer.bitCount(size) != 1) {
            return -1;
        }
        return size;
    }

    public static boolean hasMagic(byte[] page1) {
        if (page1.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (page1[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static int u32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** The database size the header claims, or 0 when the header's copy is stale. */
    public static int validPageCount(byte[] page1) {
        int counter = u32(page1, OFF_CHANGE_COUNTER);
        int validFor = u32(page1, OFF_VERSION_VALID_FOR);
        int n = u32(page1, OFF_PAGE_COUNT);
        return counter == validFor && n > 0 ? n : 0;
    }

    /**
     * A new, empty SNKV database's page 1 header: the settings the C library writes (WAL or rollback
     * version bytes, payload fractions 64/32/32, incremental auto-vacuum).
     */
    public static void initialize(byte[] page1, int pageSize, boolean wal) {
        System.arraycopy(MAGIC, 0, page1, 0, MAGIC.length);
        page1[OFF_PAGE_SIZE] = (byte) (pageSize == 65536 ? 0 : pageSize >>> 8);
        page1[OFF_PAGE_SIZE + 1] = (byte) (pageSize == 65536 ? 1 : pageSize);
        page1[OFF_WRITE_VERSION] = (byte) (wal ? 2 : 1);
        page1[OFF_READ_VERSION] = (byte) (wal ? 2 : 1);
        page1[OFF_RESERVED] = 0;
        page1[OFF_MAX_PAYLOAD_FRACTION] = 64;
        page1[OFF_MIN_PAYLOAD_FRACTION] = 32;
        page1[OFF_LEAF_PAYLOAD_FRACTION] = 32;
        put32(page1, OFF_SQLITE_VERSION, SQLITE_VERSION_NUMBER);
    }
}
