package io.snkv.ltx;

import java.util.Objects;

/**
 * Page and database checksums of LTX v3. A database checksum is FLAG OR the XOR of the page
 * checksums of pages 1..n without the lock page; XOR lets a commit update it page by page.
 * Stateless and thread-safe.
 */
public final class LtxChecksums {
    private LtxChecksums() {}

    /** Set on every stored checksum. */
    public static final long FLAG = 1L << 63;
    /** Checksum of a database of zero pages. */
    public static final long EMPTY_DATABASE = FLAG;

    /** The page holding SQLite's pending byte for this page size; never stored or checksummed. */
    public static long lockPage(int pageSize) {
        if (pageSize <= 0) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        return LtxLayout.PENDING_BYTE / pageSize + 1;
    }

    /** {@code FLAG | crc64iso(uint32_be(pgno) || data[off, off+len))}. */
    public static long pageChecksum(long pgno, byte[] data, int off, int len) {
        if (pgno < 1 || pgno > LtxLayout.MAX_PGNO) {
            throw new IllegalArgumentException("page number " + pgno);
        }
        byte[] p = {(byte) (pgno >>> 24), (byte) (pgno >>> 16), (byte) (pgno >>> 8), (byte) pgno};
        return FLAG | new Crc64Iso().update(p, 0, 4).update(data, off, len).value();
    }

    public static long pageChecksum(long pgno, byte[] data) {
        return pageChecksum(pgno, data, 0, data.length);
    }

    /** The page checksum from the page data's {@link Crc64Iso#raw} CRC ({@code len} bytes), without reading the data again. */
    public static long pageChecksumFromRaw(long pgno, long rawCrc, int len) {
        if (pgno < 1 || pgno > LtxLayout.MAX_PGNO) {
            throw new IllegalArgumentException("page number " + pgno);
        }
        byte[] p = {(byte) (pgno >>> 24), (byte) (pgno >>> 16), (byte) (pgno >>> 8), (byte) pgno};
        return FLAG | new Crc64Iso().update(p, 0, 4).updateRaw(rawCrc, len).value();
    }

    /**
     * Checksum of a whole database image ({@code image.length / pageSize} pages, the last partial
     * page, if any, ignored), skipping the lock page.
     */
    public static long databaseChecksum(int pageSize, byte[] image) {
        Objects.requireNonNull(image);
        long pages = image.length / pageSize;
        long lock = lockPage(pageSize);
        long x = 0;
        for (long p = 1; p <= pages; p++) {
            if (p != lock) {
                x ^= pageChecksum(p, image, (int) ((p - 1) * pageSize), pageSize);
            }
        }
        return FLAG | x;
    }

    /**
     * Checksum of a database from its page checksums, where {@code pageChecksums[i]} belongs to page
     * i + 1; the entry for the lock page is ignored.
     */
    public static long databaseChecksum(int pageSize, long[] pageChecksums) {
        long lock = lockPage(pageSize);
        long x = 0;
        for (int i = 0; i < pageChecksums.length; i++) {
            if (i + 1L != lock) {
                x ^= pageChecksums[i];
            }
        }
        return FLAG | x;
    }

    /**
     * Updates a database checksum for one changed page: {@code old} is the page's previous page
     * checksum (0 if the page did not exist), {@code now} its new one (0 if the page is dropped).
     */
    public static long replacePage(long databaseChecksum, long old, long now) {
        return FLAG | (databaseChecksum ^ old ^ now);
    }
}
