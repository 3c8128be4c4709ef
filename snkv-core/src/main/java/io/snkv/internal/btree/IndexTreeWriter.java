package io.snkv.internal.btree;

/**
 * Changes one BLOBKEY b-tree inside a write transaction: upsert and delete, with the page splits,
 * merges and redistributions that keep every page within its size, every non-root page non-empty and
 * all leaves at one depth.
 *
 * <p>Balancing works on cell lists: when a page's new cells do not fit, they are cut into pages, the
 * cuts' entries go up to the parent as dividers (in an index b-tree a divider is a real entry), and the
 * parent is stored the same way, up to the root, which grows a level by moving its content into a new
 * child. When a page falls under a third full after a delete it is merged with, or evened out against,
 * a sibling; a root left with no cells and one child takes that child's content.
 */
public final class IndexTreeWriter {
    private final PageWriter w;
    private final IndexTree t;
    private final PageAllocator alloc;
    private final PayloadGeometry g;
    private final int usable;

    public IndexTreeWriter(PageWriter w, int root, boolean autoVacuum) {
        this.w = w;
        this.t = new IndexTree(w, root);
        this.g = t.g;
        this.usable = w.usableSize();
        this.alloc = new PageAllocator(w, new PointerMap(w.pageSize(), usable), autoVacuum);
    }

    public IndexTree reader() {
        return t;
    }

    /** Inserts or replaces; returns true when the key existed. */
    public boolean put(byte[] key, byte[] value) {
        TreePath path = t.search(key);
        int level = path.last;
        int pgno = path.pgno[level];
        int idx = path.idx[level];
        if (path.found) {
            BTreePage p = BTreePage.load(w, pgno);
            Cell old = Cell.parse(p, idx, g, w);
            freeOverflow(p, old);
            byte[] body = buildBody(key, value);
            if (p.leaf && body.length == old.size && old.overflow == 0) {
                byte[] d = w.writable(pgno);
                System.arraycopy(body, 0, d, old.offset, body.length);
                fixCellPointers(pgno, body, 0);
                return true;
            }
            CellList cells = CellList.of(p, g, w);
            cells.bodies.set(idx, body);
            store(path, level, cells, false);
            return true;
        }
        byte[] body = buildBody(key, value);
        if (!insertInPlace(pgno, idx, body)) {
            BTreePage p = BTreePage.load(w, pgno);
            CellList cells = CellList.of(p, g, w);
            cells.insert(idx, body, 0);
            store(path, level, cells, path.rightmost);
        }
        return false;
    }

    /** Deletes; returns true when the key existed. */
    public boolean delete(byte[] key) {
        TreePath path = t.search(key);
        if (!path.found) {
            return false;
        }
        int level = path.last;
        int pgno = path.pgno[level];
        int idx = path.idx[level];
        BTreePage p = BTreePage.load(w, pgno);
        Cell victim = Cell.parse(p, idx, g, w);
        freeOverflow(p, victim);
        if (p.leaf) {
            removeInPlace(p, idx, victim);
            fixUnderflow(path, level);
            return true;
        }
        // An interior entry: its predecessor (the last entry of the left subtree) takes its place.
        TreePath down = path.copyUpTo(level);
        int pg = t.childPage(p, idx);
        BTreePage leaf;
        while (true) {
            BTreePage q = t.load(pg, down.last + 1);
            if (q.leaf) {
                if (q.nCells == 0) {
                    throw w.corrupt(q.pgno, "empty non-root leaf page");
                }
                down.push(pg, q.nCells - 1);
                leaf = q;
                break;
            }
            down.push(pg, q.nCells);
            pg = t.childPage(q, q.nCells);
        }
        Cell pred = Cell.parse(leaf, leaf.nCells - 1, g, w);
        byte[] predBody = java.util.Arrays.copyOfRange(leaf.data, pred.offset, pred.offset + pred.size);
        byte[] predKey = t.key(leaf, pred);
        removeInPlace(leaf, leaf.nCells - 1, pred);
        CellList cells = CellList.of(BTreePage.load(w, pgno), g, w);
        cells.bodies.set(idx, predBody);
        store(path, level, cells, false);
        // The store may have split pages above the leaf; find the leaf again by the moved key.
        TreePath again = t.search(predKey);
        if (!again.found) {
            throw w.corrupt(pgno, "entry lost while replacing an interior cell");
        }
        int l = again.last;
        BTreePage holder = BTreePage.load(w, again.pgno[l]);
        int c = t.childPage(holder, again.idx[l]);
        while (true) {
            BTreePage q = t.load(c, again.last + 1);
            if (q.leaf) {
                again.push(c, Math.max(q.nCells - 1, 0));
                break;
            }
            again.push(c, q.nCells);
            c = t.childPage(q, q.nCells);
        }
        fixUnderflow(again, again.last);
        return true;
    }

    // ---- cells ----

    private byte[] buildBody(byte[] key, byte[] value) {
        EntryPayload payload = new EntryPayload(key, value);
        int total = payload.size;
        int local = g.localSize(total, false);
        int vl = Bytes.varintLen(total);
        byte[] body = new byte[vl + local + (local < total ? 4 : 0)];
        Bytes.putVarint(body, 0, total);
        payload.copy(0, body, vl, local);
        if (local < total) {
            int first = OverflowChain.write(alloc, w, g, payload, local, total);
            Bytes.put32(body, vl + local, first);
        }
        return body;
    }

    /** First overflow page of a cell body (no child pointer), or 0. */
    private int overflowOf(byte[] body) {
        int[] len = new int[1];
        long total = Bytes.getVarint(body, 0, body.length, len);
        int local = g.localSize(total, false);
        return local < total ? Bytes.u32(body, body.length - 4) : 0;
    }

    private void freeOverflow(BTreePage p, Cell c) {
        if (c.overflow != 0) {
            OverflowChain.free(alloc, w, p.pgno, c.overflow, g.overflowPages(c.payloadSize, false));
        }
    }

    /** Points the pointer map at {@code pgno} for a cell's overflow chain and child. */
    private void fixCellPointers(int pgno, byte[] body, int child) {
        if (!alloc.autoVacuum()) {
            return;
        }
        int ovfl = overflowOf(body);
        if (ovfl != 0) {
            alloc.pointerMap().put(w, ovfl, PointerMap.OVERFLOW1, pgno);
        }
        if (child != 0) {
            alloc.pointerMap().put(w, child, PointerMap.BTREE, pgno);
        }
    }

    // ---- single-page edits ----

    private int freeBytes(BTreePage p) {
        int gap = p.contentStart() - (p.ptrStart + 2 * p.nCells);
        int total = gap + p.fragmented();
        int fb = p.firstFreeblock();
        int guard = 0;
        while (fb != 0) {
            if (fb + 4 > usable || ++guard > usable / 4) {
                throw w.corrupt(p.pgno, "bad freeblock list");
            }
            total += Bytes.u16(p.data, fb + 2);
            int next = Bytes.u16(p.data, fb);
            if (next != 0 && next <= fb) {
                throw w.corrupt(p.pgno, "freeblocks out of order");
            }
            fb = next;
        }
        return total;
    }

    private boolean insertInPlace(int pgno, int idx, byte[] body) {
        BTreePage p = BTreePage.load(w, pgno);
        int need = body.length + (p.leaf ? 0 : 4) + 2;
        int gap = p.contentStart() - (p.ptrStart + 2 * p.nCells);
        if (gap < need) {
            if (freeBytes(p) < need) {
                return false;
            }
            CellList cells = CellList.of(p, g, w);
            cells.insert(idx, body, 0);
            writePage(pgno, p.leaf, cells, 0, cells.size(), cells.rightChild);
            return true;
        }
        byte[] d = w.writable(pgno);
        int size = body.length;
        int at = p.contentStart() - size;
        System.arraycopy(body, 0, d, at, size);
        int ptr = p.ptrStart + 2 * idx;
        System.arraycopy(d, ptr, d, ptr + 2, 2 * (p.nCells - idx));
        Bytes.put16(d, ptr, at);
        Bytes.put16(d, p.hdr + BTreePage.OFF_CELL_COUNT, p.nCells + 1);
        Bytes.put16(d, p.hdr + BTreePage.OFF_CONTENT_START, at);
        fixCellPointers(pgno, body, 0);
        return true;
    }

    private void removeInPlace(BTreePage p, int idx, Cell c) {
        if (c.offset == p.contentStart()) {
            byte[] d = w.writable(p.pgno);
            int ptr = p.ptrStart + 2 * idx;
            System.arraycopy(d, ptr + 2, d, ptr, 2 * (p.nCells - idx - 1));
            Bytes.put16(d, p.hdr + BTreePage.OFF_CELL_COUNT, p.nCells - 1);
            int start = c.offset + c.size;
            Bytes.put16(d, p.hdr + BTreePage.OFF_CONTENT_START, start == 65536 ? 0 : start);
            return;
        }
        CellList cells = CellList.of(p, g, w);
        cells.remove(idx);
        writePage(p.pgno, p.leaf, cells, 0, cells.size(), cells.rightChild);
    }

    /** Space cells [from, to) need on a page of this kind, header included. */
    private int spaceNeeded(CellList cells, int from, int to, boolean leaf) {
        int n = BTreePage.headerSize(leaf);
        for (int i = from; i < to; i++) {
            n += cells.spaceOf(i, leaf);
        }
        return n;
    }

    private int capacity(int pgno) {
        return usable - (pgno == 1 ? 100 : 0);
    }

    /** Rewrites page {@code pgno} to hold cells [from, to), packed, with no free blocks. */
    private void writePage(int pgno, boolean leaf, CellList cells, int from, int to, int rightChild) {
        byte[] d = w.writable(pgno);
        int hdr = pgno == 1 ? 100 : 0;
        int ptr = hdr + BTreePage.headerSize(leaf);
        int content = usable;
        byte[] scratch = new byte[usable];
        for (int i = from; i < to; i++) {
            byte[] body = cells.bodies.get(i);
            int size = body.length + (leaf ? 0 : 4);
            content -= size;
            if (content < ptr + 2 * (to - from)) {
                throw new IllegalStateException("cells do not fit page " + pgno);
            }
            if (!leaf) {
                Bytes.put32(scratch, content, cells.children.get(i));
                System.arraycopy(body, 0, scratch, content + 4, body.length);
            } else {
                System.arraycopy(body, 0, scratch, content, body.length);
            }
            Bytes.put16(d, ptr + 2 * (i - from), content);
        }
        System.arraycopy(scratch, content, d, content, usable - content);
        d[hdr] = (byte) (leaf ? BTreePage.LEAF_INDEX : BTreePage.INTERIOR_INDEX);
        Bytes.put16(d, hdr + BTreePage.OFF_FIRST_FREEBLOCK, 0);
        Bytes.put16(d, hdr + BTreePage.OFF_CELL_COUNT, to - from);
        Bytes.put16(d, hdr + BTreePage.OFF_CONTENT_START, content == 65536 ? 0 : content);
        d[hdr + BTreePage.OFF_FRAGMENTED] = 0;
        if (!leaf) {
            Bytes.put32(d, hdr + BTreePage.OFF_RIGHT_CHILD, rightChild);
        }
        for (int i = from; i < to; i++) {
            fixCellPointers(pgno, cells.bodies.get(i), leaf ? 0 : cells.children.get(i));
        }
        if (!leaf && alloc.autoVacuum()) {
            alloc.pointerMap().put(w, rightChild, PointerMap.BTREE, pgno);
        }
    }

    // ---- balancing ----

    /**
     * Stores {@code cells} as the content of the page at {@code level} of {@code path}, splitting it and
     * growing the parent (recursively) when they do not fit.
     */
    private void store(TreePath path, int level, CellList cells, boolean append) {
        int pgno = path.pgno[level];
        boolean leaf = BTreePage.load(w, pgno).leaf;
        if (spaceNeeded(cells, 0, cells.size(), leaf) <= capacity(pgno)) {
            writePage(pgno, leaf, cells, 0, cells.size(), cells.rightChild);
            return;
        }
        if (level == 0) {
            // The root keeps its page number: its content moves into a new child, and the root becomes
            // an interior page with no cells whose right child is that new page.
            int child = alloc.allocate(PointerMap.BTREE, pgno);
            byte[] cd = w.writable(child);
            cd[0] = (byte) (leaf ? BTreePage.LEAF_INDEX : BTreePage.INTERIOR_INDEX);
            CellList empty = new CellList();
            empty.rightChild = child;
            writePage(pgno, false, empty, 0, 0, child);
            TreePath deeper = new TreePath();
            deeper.push(pgno, 0);
            for (int i = 0; i <= path.last; i++) {
                deeper.push(i == 0 ? child : path.pgno[i], path.idx[i]);
            }
            split(deeper, 1, cells, leaf, append);
            return;
        }
        split(path, level, cells, leaf, append);
    }

    /** Cuts an over-full page's cells into two or more pages and hands the dividers to the parent. */
    private void split(TreePath path, int level, CellList cells, boolean leaf, boolean append) {
        int pgno = path.pgno[level];
        int[] cuts = chooseCuts(cells, leaf, capacity(pgno), append);
        int groups = cuts.length + 1;
        int parent = path.pgno[level - 1];
        int[] pages = new int[groups];
        pages[0] = pgno;
        for (int i = 1; i < groups; i++) {
            pages[i] = alloc.allocate(PointerMap.BTREE, parent);
        }
        int from = 0;
        for (int gi = 0; gi < groups; gi++) {
            int to = gi < cuts.length ? cuts[gi] : cells.size();
            int right = leaf ? 0 : (gi < cuts.length ? cells.children.get(cuts[gi]) : cells.rightChild);
            writePage(pages[gi], leaf, cells, from, to, right);
            from = to + 1;
        }
        BTreePage pp = BTreePage.load(w, parent);
        CellList pc = CellList.of(pp, g, w);
        int slot = path.idx[level - 1];
        if (slot < pc.size()) {
            pc.children.set(slot, pages[groups - 1]);
        } else {
            pc.rightChild = pages[groups - 1];
        }
        for (int i = cuts.length - 1; i >= 0; i--) {
            pc.insert(slot, cells.bodies.get(cuts[i]), pages[i]);
        }
        store(path, level - 1, pc, append && slot == pp.nCells);
    }

    /**
     * Where to cut: indexes of the cells that go up as dividers. Two pages when possible, cut where the
     * halves are most even (or, for an append at the right edge, as late as fits, so sequential inserts
     * leave full pages behind); more pages only when two cannot hold the cells.
     */
    private int[] chooseCuts(CellList cells, boolean leaf, int cap, boolean append) {
        int n = cells.size();
        int hdr = BTreePage.headerSize(leaf);
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += cells.spaceOf(i, leaf);
        }
        int best = -1;
        int bestScore = Integer.MAX_VALUE;
        int left = hdr;
        for (int s = 0; s < n; s++) {
            int cut = cells.spaceOf(s, leaf);
            int right = hdr + total - (left - hdr) - cut;
            if (s >= 1 && s <= n - 2 && left <= cap && right <= cap) {
                int score = append ? -s : Math.abs(left - right);
                if (score < bestScore) {
                    bestScore = score;
                    best = s;
                }
            }
            left += cut;
        }
        if (best >= 0) {
            return new int[] {best};
        }
        // Greedy: fill each page, cut at the first cell that does not fit, keep one cell for the last page.
        java.util.List<Integer> cuts = new java.util.ArrayList<>();
        int used = hdr;
        int inPage = 0;
        for (int i = 0; i < n; i++) {
            int sz = cells.spaceOf(i, leaf);
            if (used + sz > cap && inPage > 0 && i < n - 1) {
                cuts.add(i);
                used = hdr;
                inPage = 0;
                continue;
            }
            used += sz;
            inPage++;
        }
        if (cuts.isEmpty()) {
            throw new IllegalStateException("cannot split " + n + " cells");
        }
        int[] r = new int[cuts.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = cuts.get(i);
        }
        return r;
    }

    /** After a delete: merges or evens out an under-full page with a sibling, up the tree as needed. */
    private void fixUnderflow(TreePath path, int level) {
        int pgno = path.pgno[level];
        BTreePage p = BTreePage.load(w, pgno);
        if (level == 0) {
            collapseRoot(pgno);
            return;
        }
        int used = usable - freeBytes(p) - p.hdr;
        if (p.nCells > 0 && used >= usable / 3) {
            return;
        }
        int parent = path.pgno[level - 1];
        BTreePage pp = BTreePage.load(w, parent);
        if (pp.nCells == 0) {
            return;
        }
        int slot = path.idx[level - 1];
        int div = slot > 0 ? slot - 1 : slot;
        int leftPg = t.childPage(pp, div);
        int rightPg = t.childPage(pp, div + 1);
        BTreePage lp = BTreePage.load(w, leftPg);
        BTreePage rp = BTreePage.load(w, rightPg);
        if (lp.leaf != p.leaf || rp.leaf != p.leaf) {
            throw w.corrupt(parent, "sibling pages at different depths");
        }
        boolean leaf = p.leaf;
        CellList all = CellList.of(lp, g, w);
        CellList pc = CellList.of(pp, g, w);
        all.add(pc.bodies.get(div), leaf ? 0 : lp.rightChild());
        CellList rc = CellList.of(rp, g, w);
        for (int i = 0; i < rc.size(); i++) {
            all.add(rc.bodies.get(i), rc.children.get(i));
        }
        all.rightChild = rc.rightChild;
        if (spaceNeeded(all, 0, all.size(), leaf) <= capacity(leftPg)) {
            writePage(leftPg, leaf, all, 0, all.size(), all.rightChild);
            alloc.free(rightPg);
            // The pointer that led to the right page now leads to the merged left page.
            if (div + 1 < pc.size()) {
                pc.children.set(div + 1, leftPg);
            } else {
                pc.rightChild = leftPg;
            }
            pc.remove(div);
            writePage(parent, false, pc, 0, pc.size(), pc.rightChild);
            fixUnderflow(path, level - 1);
            return;
        }
        int[] cuts = chooseCuts(all, leaf, capacity(leftPg), false);
        if (cuts.length != 1) {
            return;
        }
        int cut = cuts[0];
        writePage(leftPg, leaf, all, 0, cut, leaf ? 0 : all.children.get(cut));
        writePage(rightPg, leaf, all, cut + 1, all.size(), all.rightChild);
        pc.bodies.set(div, all.bodies.get(cut));
        pc.children.set(div, leftPg);
        store(path, level - 1, pc, false);
    }

    /** A root with no cells and one child takes over the child's content, level by level. */
    private void collapseRoot(int root) {
        while (true) {
            BTreePage r = BTreePage.load(w, root);
            if (r.leaf || r.nCells > 0) {
                return;
            }
            int child = t.childPage(r, 0);
            BTreePage c = BTreePage.load(w, child);
            CellList cells = CellList.of(c, g, w);
            if (spaceNeeded(cells, 0, cells.size(), c.leaf) > capacity(root)) {
                return;
            }
            writePage(root, c.leaf, cells, 0, cells.size(), cells.rightChild);
            alloc.free(child);
        }
    }
}
