package io.snkv.internal.btree;

import io.snkv.internal.pager.DatabaseHeader;

/**
 * Hands out and takes back pages: the free list (trunk pages {@code [next trunk][leaf count][leaf
 * page numbers...]}, first trunk and total count in the header at offsets 32 and 36), file growth that
 * skips the lock page and places pointer-map pages, and the pointer-map entry of every page it hands
 * out or takes back.
 */
final class PageAllocator {
    private final PageWriter w;
    private final PointerMap ptrmap;
    private final boolean autoVacuum;
    private final int usable;

    PageAllocator(PageWriter w, PointerMap ptrmap, boolean autoVacuum) {
        this.w = w;
        this.ptrmap = ptrmap;
        this.autoVacuum = autoVacuum;
        this.usable = w.usableSize();
    }

    /**
     * A zero-filled page for new use, with its pointer-map entry set to {@code type}/{@code parent}.
     */
    int allocate(int type, int parent) {
        byte[] p1 = w.page(1);
        int freeCount = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_COUNT);
        int pgno;
        if (freeCount > 0) {
            pgno = takeFree();
        } else {
            pgno = grow();
        }
        w.fresh(pgno);
        if (autoVacuum) {
            ptrmap.put(w, pgno, type, parent);
        }
        return pgno;
    }

    private int grow() {
        int n = w.pageCount() + 1;
        if (n == ptrmap.lockPage()) {
            n++;
        }
        if (autoVacuum && ptrmap.isMapPage(n)) {
            w.setPageCount(n);
            w.fresh(n);
            n++;
            if (n == ptrmap.lockPage()) {
                n++;
            }
        }
        w.setPageCount(n);
        return n;
    }

    private int takeFree() {
        byte[] p1 = w.writable(1);
        int trunk = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_TRUNK);
        checkFreePage(trunk, "free-list trunk");
        byte[] t = w.page(trunk);
        int leaves = Bytes.u32(t, 4);
        if (leaves < 0 || leaves > usable / 4 - 2) {
            throw w.corrupt(trunk, "free-list trunk claims " + leaves + " leaves");
        }
        int pgno;
        if (leaves > 0) {
            pgno = Bytes.u32(t, 8 + 4 * (leaves - 1));
            checkFreePage(pgno, "free-list leaf");
            byte[] tw = w.writable(trunk);
            Bytes.put32(tw, 4, leaves - 1);
        } else {
            pgno = trunk;
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_FREELIST_TRUNK, Bytes.u32(t, 0));
        }
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_FREELIST_COUNT,
                DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_COUNT) - 1);
        return pgno;
    }

    private void checkFreePage(int pgno, String what) {
        if (pgno < 2 || pgno > w.pageCount() || pgno == ptrmap.lockPage() || (autoVacuum && ptrmap.isMapPage(pgno))) {
            throw w.corrupt(pgno, what + " page number out of range");
        }
    }

    /** Puts {@code pgno} on the free list. */
    void free(int pgno) {
        checkFreePage(pgno, "freed");
        byte[] p1 = w.writable(1);
        int count = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_COUNT);
        int trunk = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_TRUNK);
        // SQLite fills a trunk only to usable/4 - 8 leaves, for compatibility with its older readers.
        if (trunk != 0) {
            checkFreePage(trunk, "free-list trunk");
            byte[] t = w.page(trunk);
            int leaves = Bytes.u32(t, 4);
            if (leaves >= 0 && leaves < usable / 4 - 8) {
                byte[] tw = w.writable(trunk);
                Bytes.put32(tw, 8 + 4 * leaves, pgno);
                Bytes.put32(tw, 4, leaves + 1);
                DatabaseHeader.put32(p1, DatabaseHeader.OFF_FREELIST_COUNT, count + 1);
                if (autoVacuum) {
                    ptrmap.put(w, pgno, PointerMap.FREE_PAGE, 0);
                }
                return;
            }
        }
        byte[] nt = w.fresh(pgno);
        Bytes.put32(nt, 0, trunk);
        Bytes.put32(nt, 4, 0);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_FREELIST_TRUNK, pgno);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_FREELIST_COUNT, count + 1);
        if (autoVacuum) {
            ptrmap.put(w, pgno, PointerMap.FREE_PAGE, 0);
        }
    }

    PointerMap pointerMap() {
        return ptrmap;
    }

    boolean autoVacuum() {
        return autoVacuum;
    }
}
