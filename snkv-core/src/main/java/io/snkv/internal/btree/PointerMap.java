package io.snkv.internal.btree;

/**
 * Pointer-map pages of an auto-vacuum database. Page 2 is the first; each holds 5-byte entries
 * {@code [type][4-byte parent]} for the next usable/5 pages, and the next map page follows them. If a
 * map page would fall on the lock page (byte offset 1 GiB) it moves one page on.
 */
final class PointerMap {
    static final int ROOT_PAGE = 1;
    static final int FREE_PAGE = 2;
    static final int OVERFLOW1 = 3;
    static final int OVERFLOW2 = 4;
    static final int BTREE = 5;

    private final int usable;
    private final int lockPage;
    private final int pagesPerMap;

    PointerMap(int pageSize, int usable) {
        this.usable = usable;
        this.lockPage = lockPage(pageSize);
        this.pagesPerMap = usable / 5 + 1;
    }

    /** The page that holds byte offset 1 GiB: SQLite's lock bytes live there, so it is never used. */
    static int lockPage(int pageSize) {
        return (int) (0x40000000L / pageSize) + 1;
    }

    int lockPage() {
        return lockPage;
    }

    /** The map page that holds {@code pgno}'s entry. */
    int mapPageFor(int pgno) {
        int i = (pgno - 2) / pagesPerMap;
        int p = i * pagesPerMap + 2;
        return p == lockPage ? p + 1 : p;
    }

    boolean isMapPage(int pgno) {
        return pgno >= 2 && mapPageFor(pgno) == pgno;
    }

    /** Records {@code pgno}'s type and parent, dirtying the map page only when the entry changes. */
    void put(PageWriter w, int pgno, int type, int parent) {
        int map = mapPageFor(pgno);
        if (map > w.pageCount()) {
            throw w.corrupt(map, "pointer-map page missing for page " + pgno);
        }
        int off = 5 * (pgno - map - 1);
        if (off < 0 || off + 5 > usable) {
            throw w.corrupt(map, "no pointer-map slot for page " + pgno);
        }
        byte[] cur = w.page(map);
        if ((cur[off] & 0xff) == type && Bytes.u32(cur, off + 1) == parent) {
            return;
        }
        byte[] d = w.writable(map);
        d[off] = (byte) type;
        Bytes.put32(d, off + 1, parent);
    }

    /** {@code [type, parent]} of {@code pgno}. */
    int[] get(PageReader r, int pgno) {
        int map = mapPageFor(pgno);
        int off = 5 * (pgno - map - 1);
        if (map > r.pageCount() || off < 0 || off + 5 > usable) {
            throw r.corrupt(map, "no pointer-map entry for page " + pgno);
        }
        byte[] d = r.page(map);
        return new int[] {d[off] & 0xff, Bytes.u32(d, off + 1)};
    }
}
