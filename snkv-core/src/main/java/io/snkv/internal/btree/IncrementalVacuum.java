package io.snkv.internal.btree;

import io.snkv.internal.pager.DatabaseHeader;

/**
 * SQLite's incremental vacuum ({@code PRAGMA incremental_vacuum(N)}) for an auto-vacuum file, inside one
 * write transaction.
 *
 * <p>One step gives one free page back: the last page of the file leaves it. If that page is free it is
 * taken off the free list; otherwise it is moved into a free page at or below the final size (the size the
 * file would have with no free pages and no pointer-map pages those pages needed), and the one reference to
 * it is rewritten: a parent's child pointer (pointer-map type BTREE), a cell's first-overflow pointer
 * (OVERFLOW1) or the previous overflow page's next pointer (OVERFLOW2). The pointer-map entries of the moved
 * page and of everything it points at (child pages, overflow pages its cells start, its next overflow page)
 * follow it. The file then ends before that page, skipping back over pointer-map pages and the lock page,
 * which are never moved.
 *
 * <p>Root pages are never moved: auto-vacuum keeps every root at the start of the file (pages 3 up to header
 * slot 4, offset 52), so no root can lie past the final size. A root page at the end of the file is
 * corruption, as in SQLite; the header slots and the column-family table therefore never change here.
 *
 * <p>Which free page receives a moved page, and how the free list is edited when a page leaves it, follow
 * SQLite's {@code allocateBtreePage} in its "exact" and "at most" modes, so that a file vacuumed here has
 * the same pages as the same file vacuumed by SQLite.
 */
final class IncrementalVacuum {
    private final PageWriter w;
    private final PointerMap ptrmap;
    private final PayloadGeometry g;
    private final int usable;
    private final int lockPage;

    private IncrementalVacuum(PageWriter w) {
        this.w = w;
        this.usable = w.usableSize();
        this.ptrmap = new PointerMap(w.pageSize(), usable);
        this.g = PayloadGeometry.of(usable);
        this.lockPage = ptrmap.lockPage();
    }

    /**
     * Reclaims up to {@code pages} free pages ({@code 0} = all of them) and returns how many pages the
     * database shrank by (pointer-map pages that became unnecessary included). A file without auto-vacuum
     * is left alone (0), as SQLite does.
     */
    static int run(PageWriter w, int pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("page count must be >= 0, was " + pages);
        }
        if (!SnkvLayout.autoVacuum(w)) {
            return 0;
        }
        IncrementalVacuum v = new IncrementalVacuum(w);
        int before = w.pageCount();
        long limit = pages == 0 ? Long.MAX_VALUE : pages;
        for (long done = 0; done < limit && v.step(); done++) {
            // each step frees exactly one page from the free list
        }
        return before - w.pageCount();
    }

    private int freeCount() {
        return DatabaseHeader.u32(w.page(1), DatabaseHeader.OFF_FREELIST_COUNT);
    }

    /** Size in pages once all {@code nFree} free pages are gone (SQLite's {@code finalDbSize}). */
    int finalSize(int nOrig, int nFree) {
        long perMap = usable / 5;
        long map = nOrig >= 2 ? ptrmap.mapPageFor(nOrig) : 0;
        // Pointer-map pages that only described pages past the final size go too.
        long nPtrmap = ((long) nFree - nOrig + map + perMap) / perMap;
        long nFin = (long) nOrig - nFree - nPtrmap;
        if (nOrig > lockPage && nFin < lockPage) {
            nFin--;
        }
        while (nFin >= 2 && (ptrmap.isMapPage((int) nFin) || nFin == lockPage)) {
            nFin--;
        }
        return (int) Math.max(nFin, 0);
    }

    /** One step (SQLite's {@code sqlite3BtreeIncrVacuum}); false when the free list was already empty. */
    private boolean step() {
        int nOrig = w.pageCount();
        int nFree = freeCount();
        if (nFree == 0) {
            return false;
        }
        int nFin = finalSize(nOrig, nFree);
        if (nFin < 1 || nOrig < nFin || nFree >= nOrig) {
            throw w.corrupt(1, "free-page count " + nFree + " does not fit a database of " + nOrig + " pages");
        }
        int last = nOrig;
        if (!ptrmap.isMapPage(last) && last != lockPage) {
            int[] e = ptrmap.get(w, last);
            int type = e[0];
            int parent = e[1];
            switch (type) {
                case PointerMap.FREE_PAGE -> takeFree(last, true, nOrig);
                case PointerMap.BTREE, PointerMap.OVERFLOW1, PointerMap.OVERFLOW2 ->
                        relocate(last, type, parent, takeFree(nFin, false, nOrig));
                case PointerMap.ROOT_PAGE -> throw w.corrupt(last, "a root page lies at the end of the file, past the "
                        + "final size " + nFin + " (auto-vacuum keeps roots at the start)");
                default -> throw w.corrupt(ptrmap.mapPageFor(last), "pointer-map entry of page " + last
                        + " has unknown type " + type);
            }
        }
        do {
            last--;
        } while (last == lockPage || ptrmap.isMapPage(last));
        w.setPageCount(last);
        DatabaseHeader.put32(w.writable(1), DatabaseHeader.OFF_PAGE_COUNT, last);
        return true;
    }

    /**
     * Takes one page off the free list (SQLite's {@code allocateBtreePage} searching the list): page
     * {@code nearby} itself when {@code exact}, else the first free page at or below {@code nearby}, trunks
     * and leaves in list order. A trunk that leaves with leaves hands them to its first leaf, which becomes
     * the trunk; a leaf that leaves is replaced by the trunk's last leaf.
     */
    private int takeFree(int nearby, boolean exact, int mxPage) {
        byte[] p1 = w.writable(1);
        int n = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_COUNT);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_FREELIST_COUNT, n - 1);
        int prevTrunk = 0; // 0: the header holds the link to the current trunk
        int trunk = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_TRUNK);
        long searched = 0;
        while (true) {
            if (trunk < 2 || trunk > mxPage || searched++ > n) {
                throw w.corrupt(prevTrunk == 0 ? 1 : prevTrunk, exact
                        ? "free page " + nearby + " is not on the free list"
                        : "free list has no page at or below " + nearby + " (link to trunk " + trunk + ")");
            }
            byte[] t = w.page(trunk);
            int k = Bytes.u32(t, 4);
            if (k < 0 || k > usable / 4 - 2) {
                throw w.corrupt(trunk, "free-list trunk claims " + k + " leaves");
            }
            int next = Bytes.u32(t, 0);
            if (exact ? trunk == nearby : trunk <= nearby) {
                int link = next;
                if (k > 0) {
                    int heir = Bytes.u32(t, 8);
                    if (heir < 2 || heir > mxPage) {
                        throw w.corrupt(trunk, "free-list leaf page number " + heir + " out of range");
                    }
                    // Only the trunk fields are written: the rest of the heir keeps its old bytes, as in SQLite.
                    byte[] h = w.writable(heir);
                    Bytes.put32(h, 0, next);
                    Bytes.put32(h, 4, k - 1);
                    System.arraycopy(t, 12, h, 8, 4 * (k - 1));
                    link = heir;
                }
                setTrunkLink(prevTrunk, link);
                return checkUsable(trunk, trunk);
            }
            if (k > 0) {
                int closest = 0;
                if (exact) {
                    long dist = Math.abs((long) Bytes.u32(t, 8) - nearby);
                    for (int i = 1; i < k; i++) {
                        long d2 = Math.abs((long) Bytes.u32(t, 8 + 4 * i) - nearby);
                        if (d2 < dist) {
                            closest = i;
                            dist = d2;
                        }
                    }
                } else {
                    for (int i = 0; i < k; i++) {
                        if (Bytes.u32(t, 8 + 4 * i) <= nearby) {
                            closest = i;
                            break;
                        }
                    }
                }
                int pg = Bytes.u32(t, 8 + 4 * closest);
                if (pg < 2 || pg > mxPage) {
                    throw w.corrupt(trunk, "free-list leaf page number " + pg + " out of range");
                }
                if (exact ? pg == nearby : pg <= nearby) {
                    byte[] tw = w.writable(trunk);
                    if (closest < k - 1) {
                        System.arraycopy(tw, 4 + 4 * k, tw, 8 + 4 * closest, 4);
                    }
                    Bytes.put32(tw, 4, k - 1);
                    return checkUsable(pg, trunk);
                }
            }
            prevTrunk = trunk;
            trunk = next;
        }
    }

    private void setTrunkLink(int prevTrunk, int link) {
        if (prevTrunk == 0) {
            DatabaseHeader.put32(w.writable(1), DatabaseHeader.OFF_FREELIST_TRUNK, link);
        } else {
            Bytes.put32(w.writable(prevTrunk), 0, link);
        }
    }

    /** A free page must be an ordinary page: never a pointer-map page or the lock page. */
    private int checkUsable(int pgno, int listedOn) {
        if (pgno == lockPage || ptrmap.isMapPage(pgno)) {
            throw w.corrupt(listedOn, "the free list holds page " + pgno + ", a pointer-map or lock page");
        }
        return pgno;
    }

    /**
     * Moves page {@code from} (pointer-map {@code type}, referenced from {@code parent}) to the free page
     * {@code to} (SQLite's {@code relocatePage}).
     */
    private void relocate(int from, int type, int parent, int to) {
        if (from < 3 || to >= from) {
            throw w.corrupt(from, "cannot move page " + from + " to page " + to);
        }
        if (parent < 1 || parent > w.pageCount() || parent == from) {
            throw w.corrupt(ptrmap.mapPageFor(from), "pointer-map parent " + parent + " of page " + from + " out of range");
        }
        byte[] d = w.fresh(to);
        System.arraycopy(w.page(from), 0, d, 0, d.length);
        if (type == PointerMap.BTREE) {
            BTreePage p = BTreePage.wrap(w, to, d);
            for (int i = 0; i < p.nCells; i++) {
                Cell c = Cell.parse(p, i, g, w);
                if (c.overflow != 0) {
                    ptrmap.put(w, c.overflow, PointerMap.OVERFLOW1, to);
                }
                if (!p.leaf) {
                    ptrmap.put(w, c.child, PointerMap.BTREE, to);
                }
            }
            if (!p.leaf) {
                ptrmap.put(w, p.rightChild(), PointerMap.BTREE, to);
            }
        } else {
            int next = Bytes.u32(d, 0);
            if (next != 0) {
                ptrmap.put(w, next, PointerMap.OVERFLOW2, to);
            }
        }
        repoint(parent, from, to, type);
        ptrmap.put(w, to, type, parent);
    }

    /** Rewrites the one pointer on page {@code pgno} that leads to {@code from} (SQLite's {@code modifyPagePointer}). */
    private void repoint(int pgno, int from, int to, int type) {
        byte[] d = w.writable(pgno);
        if (type == PointerMap.OVERFLOW2) {
            if (Bytes.u32(d, 0) != from) {
                throw w.corrupt(pgno, "overflow page does not link to page " + from + " as the pointer map says");
            }
            Bytes.put32(d, 0, to);
            return;
        }
        BTreePage p = BTreePage.wrap(w, pgno, d);
        for (int i = 0; i < p.nCells; i++) {
            Cell c = Cell.parse(p, i, g, w);
            if (type == PointerMap.OVERFLOW1) {
                if (c.overflow == from) {
                    Bytes.put32(d, c.localStart + c.localSize, to);
                    return;
                }
            } else if (!p.leaf && c.child == from) {
                Bytes.put32(d, c.offset, to);
                return;
            }
        }
        if (type == PointerMap.BTREE && !p.leaf && p.rightChild() == from) {
            Bytes.put32(d, p.hdr + BTreePage.OFF_RIGHT_CHILD, to);
            return;
        }
        throw w.corrupt(pgno, "no pointer to page " + from + " here, though the pointer map names this page as its parent");
    }
}
