package io.snkv.internal.btree;

import io.snkv.KVException;
import io.snkv.internal.pager.DatabaseHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks every page of a database and reports, in words, what breaks the format: a page used twice or
 * never, keys out of order, cells overlapping or outside their page, uneven leaf depth, a broken
 * overflow chain, a wrong pointer-map entry, a free-list count that does not match.
 */
public final class IntegrityChecker {
    private static final int MAX_PROBLEMS = 100;

    private final PageReader r;
    private final PayloadGeometry g;
    private final int n;
    private final byte[] owner;
    private final List<String> problems = new ArrayList<>();
    private final PointerMap ptrmap;
    private final boolean autoVacuum;

    private IntegrityChecker(PageReader r) {
        this.r = r;
        this.g = PayloadGeometry.of(r.usableSize());
        this.n = r.pageCount();
        this.owner = new byte[n + 1];
        this.ptrmap = new PointerMap(r.pageSize(), r.usableSize());
        this.autoVacuum = SnkvLayout.autoVacuum(r);
    }

    /** Problems found; empty for a sound file. */
    public static List<String> check(PageReader r) {
        IntegrityChecker c = new IntegrityChecker(r);
        try {
            c.run();
        } catch (KVException e) {
            c.problems.add(e.getMessage());
        }
        return c.problems;
    }

    private void problem(int pgno, String what) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add("page " + pgno + ": " + what);
        }
    }

    private boolean claim(int pgno, String what) {
        if (pgno < 1 || pgno > n) {
            problem(pgno, what + " refers to a page outside the file (" + n + " pages)");
            return false;
        }
        if (owner[pgno] != 0) {
            problem(pgno, "used twice (again as " + what + ")");
            return false;
        }
        owner[pgno] = 1;
        return true;
    }

    private void run() {
        if (n < 1) {
            return;
        }
        int lock = PointerMap.lockPage(r.pageSize());
        if (lock <= n) {
            owner[lock] = 1;
        }
        if (autoVacuum) {
            for (int p = 2; p <= n; p++) {
                if (ptrmap.isMapPage(p)) {
                    owner[p] = 1;
                }
            }
        }
        checkTree(1, false, "schema table");
        int meta = SnkvLayout.metadataRoot(r);
        checkRoot(meta, false, "column family table");
        checkRoot(SnkvLayout.defaultRoot(r), true, "default column family");
        for (SnkvLayout.Family f : SnkvLayout.families(r)) {
            checkRoot(f.root(), true, "column family '" + f.name() + "'");
        }
        checkFreeList();
        for (int p = 1; p <= n; p++) {
            if (owner[p] == 0) {
                problem(p, "never used (in no b-tree, overflow chain, free list or pointer map)");
            }
        }
    }

    private void checkRoot(int root, boolean index, String what) {
        if (root == 0) {
            return; // not created yet
        }
        if (autoVacuum && root >= 2 && root <= n) {
            expectPtrmap(root, PointerMap.ROOT_PAGE, 0, what + " root");
        }
        checkTree(root, index, what);
    }

    private void checkTree(int root, boolean index, String what) {
        int[] leafDepth = {-1};
        walk(root, 0, index, what, null, null, leafDepth, 0);
    }

    /** Checks a subtree; keys must lie strictly between {@code lo} and {@code hi} (null = open). */
    private void walk(int pgno, int depth, boolean index, String what, byte[] lo, byte[] hi, int[] leafDepth, int parent) {
        if (!claim(pgno, what + " page")) {
            return;
        }
        if (depth >= TreePath.MAX_DEPTH) {
            problem(pgno, what + " deeper than " + TreePath.MAX_DEPTH + " levels");
            return;
        }
        if (autoVacuum && parent != 0) {
            expectPtrmap(pgno, PointerMap.BTREE, parent, what + " page");
        }
        BTreePage p;
        try {
            p = BTreePage.load(r, pgno);
        } catch (KVException e) {
            problem(pgno, e.getMessage());
            return;
        }
        if (p.index != index) {
            problem(pgno, "wrong b-tree page type " + p.type + " in " + what);
            return;
        }
        checkLayout(p);
        if (p.leaf) {
            if (leafDepth[0] < 0) {
                leafDepth[0] = depth;
            } else if (leafDepth[0] != depth) {
                problem(pgno, "leaf at depth " + depth + " but others at depth " + leafDepth[0]);
            }
            if (p.nCells == 0 && depth > 0) {
                problem(pgno, "empty non-root leaf page");
            }
        }
        IndexTree it = index ? new IndexTree(r, pgno) : null;
        byte[] prev = lo;
        for (int i = 0; i <= p.nCells; i++) {
            byte[] key = null;
            if (i < p.nCells) {
                Cell c;
                try {
                    c = Cell.parse(p, i, g, r);
                } catch (KVException e) {
                    problem(pgno, e.getMessage());
                    return;
                }
                if (c.overflow != 0) {
                    checkOverflow(p, c, what);
                }
                if (index) {
                    try {
                        key = it.key(p, c);
                    } catch (KVException e) {
                        problem(pgno, "cell " + i + ": " + e.getMessage());
                        return;
                    }
                }
            }
            if (!p.leaf) {
                int child = p.childAt(i);
                byte[] upper = i < p.nCells ? key : hi;
                walk(child, depth + 1, index, what, prev, upper, leafDepth, pgno);
            }
            if (key != null) {
                if (prev != null && Bytes.compareKeys(prev, 0, prev.length, key, 0, key.length) >= 0) {
                    problem(pgno, "cell " + i + " key out of order");
                }
                if (hi != null && Bytes.compareKeys(key, 0, key.length, hi, 0, hi.length) >= 0) {
                    problem(pgno, "cell " + i + " key not below its parent's divider");
                }
                prev = key;
            }
        }
    }

    private void checkLayout(BTreePage p) {
        int usable = p.usable;
        boolean[] used = new boolean[usable];
        int hdrEnd = p.ptrStart + 2 * p.nCells;
        int content = p.contentStart();
        if (content < hdrEnd || content > usable) {
            problem(p.pgno, "cell content area starts at " + content + ", inside the header or past the page");
            return;
        }
        int usedBytes = 0;
        for (int i = 0; i < p.nCells; i++) {
            int off = p.cellOffset(i);
            int size;
            try {
                size = Cell.parse(p, i, g, r).size;
            } catch (KVException e) {
                problem(p.pgno, e.getMessage());
                return;
            }
            if (off < content || off + size > usable) {
                problem(p.pgno, "cell " + i + " at offset " + off + " lies outside the content area");
                return;
            }
            for (int b = off; b < off + size; b++) {
                if (used[b]) {
                    problem(p.pgno, "cell " + i + " overlaps another cell or free block");
                    return;
                }
                used[b] = true;
            }
            usedBytes += size;
        }
        int fb = p.firstFreeblock();
        int freeBytes = 0;
        int guard = 0;
        while (fb != 0) {
            if (fb < content || fb + 4 > usable || ++guard > usable / 4) {
                problem(p.pgno, "free block at " + fb + " outside the content area");
                return;
            }
            int size = Bytes.u16(p.data, fb + 2);
            if (size < 4 || fb + size > usable) {
                problem(p.pgno, "free block at " + fb + " has a bad size " + size);
                return;
            }
            for (int b = fb; b < fb + size; b++) {
                if (used[b]) {
                    problem(p.pgno, "free block at " + fb + " overlaps a cell");
                    return;
                }
                used[b] = true;
            }
            freeBytes += size;
            int next = Bytes.u16(p.data, fb);
            if (next != 0 && next <= fb + size) {
                problem(p.pgno, "free blocks out of order or touching");
                return;
            }
            fb = next;
        }
        int frag = usable - content - usedBytes - freeBytes;
        if (frag != p.fragmented()) {
            problem(p.pgno, "fragmentation of " + frag + " bytes reported as " + p.fragmented());
        }
    }

    private void checkOverflow(BTreePage p, Cell c, String what) {
        long pages = g.overflowPages(c.payloadSize, !p.index);
        int pg = c.overflow;
        int prev = p.pgno;
        for (long i = 0; i < pages; i++) {
            if (!claim(pg, what + " overflow page")) {
                problem(p.pgno, "broken overflow chain at link " + i);
                return;
            }
            if (autoVacuum) {
                expectPtrmap(pg, i == 0 ? PointerMap.OVERFLOW1 : PointerMap.OVERFLOW2, prev, "overflow page");
            }
            int next = Bytes.u32(r.page(pg), 0);
            if (i == pages - 1 && next != 0) {
                problem(pg, "overflow chain continues past the payload's end");
            }
            prev = pg;
            pg = next;
        }
    }

    private void checkFreeList() {
        byte[] p1 = r.page(1);
        int trunk = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_TRUNK);
        int expected = DatabaseHeader.u32(p1, DatabaseHeader.OFF_FREELIST_COUNT);
        int seen = 0;
        int guard = 0;
        while (trunk != 0) {
            if (++guard > n || !claim(trunk, "free-list trunk")) {
                problem(trunk, "free-list trunk chain is broken");
                return;
            }
            seen++;
            if (autoVacuum) {
                expectPtrmap(trunk, PointerMap.FREE_PAGE, 0, "free page");
            }
            byte[] t = r.page(trunk);
            int leaves = Bytes.u32(t, 4);
            if (leaves < 0 || leaves > r.usableSize() / 4 - 2) {
                problem(trunk, "free-list trunk claims " + leaves + " leaves");
                return;
            }
            for (int i = 0; i < leaves; i++) {
                int leaf = Bytes.u32(t, 8 + 4 * i);
                if (claim(leaf, "free-list leaf")) {
                    seen++;
                    if (autoVacuum) {
                        expectPtrmap(leaf, PointerMap.FREE_PAGE, 0, "free page");
                    }
                }
            }
            trunk = Bytes.u32(t, 0);
        }
        if (seen != expected) {
            problem(1, "free list holds " + seen + " pages but the header says " + expected);
        }
    }

    private void expectPtrmap(int pgno, int type, int parent, String what) {
        int[] e;
        try {
            e = ptrmap.get(r, pgno);
        } catch (KVException ex) {
            problem(pgno, ex.getMessage());
            return;
        }
        if (e[0] != type || e[1] != parent) {
            problem(pgno, "pointer-map entry is (type " + e[0] + ", parent " + e[1] + "), expected (type " + type
                    + ", parent " + parent + ") for this " + what);
        }
    }
}
