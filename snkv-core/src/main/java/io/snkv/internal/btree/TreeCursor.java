package io.snkv.internal.btree;

/**
 * Walks a BLOBKEY tree in key order. Interior cells are entries too: an interior page at slot i is
 * first descended into child i, then positioned on cell i itself. The key is read when asked, the
 * value likewise, so a key-only walk never follows a value's overflow chain.
 */
public final class TreeCursor {
    private final IndexTree t;
    private final BTreePage[] pages = new BTreePage[TreePath.MAX_DEPTH];
    private final int[] idx = new int[TreePath.MAX_DEPTH];
    private int top = -1;
    private Cell cell;

    TreeCursor(IndexTree t) {
        this.t = t;
    }

    public boolean valid() {
        return cell != null;
    }

    /** Moves to the first entry; false when the tree is empty. */
    public boolean first() {
        top = -1;
        cell = null;
        return t.root != 0 && descendLeftmost(t.root);
    }

    /** Moves to the first entry whose key is >= {@code key}. */
    public boolean seek(byte[] key) {
        top = -1;
        cell = null;
        if (t.root == 0) {
            return false;
        }
        int pg = t.root;
        while (true) {
            BTreePage p = t.load(pg, top + 1);
            int lo = 0;
            int hi = p.nCells - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int cmp = t.compareAt(key, p, mid);
                if (cmp == 0) {
                    pages[++top] = p;
                    idx[top] = mid;
                    cell = Cell.parse(p, mid, t.g, t.r);
                    return true;
                }
                if (cmp < 0) {
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            pages[++top] = p;
            idx[top] = lo;
            if (p.leaf) {
                if (lo < p.nCells) {
                    cell = Cell.parse(p, lo, t.g, t.r);
                    return true;
                }
                return ascend();
            }
            pg = t.childPage(p, lo);
        }
    }

    /** Advances; false when past the last entry. */
    public boolean next() {
        if (cell == null) {
            return false;
        }
        BTreePage p = pages[top];
        if (p.leaf) {
            idx[top]++;
            if (idx[top] < p.nCells) {
                cell = Cell.parse(p, idx[top], t.g, t.r);
                return true;
            }
            return ascend();
        }
        // On an interior cell i: the next entry is the left-most of child i+1.
        idx[top]++;
        cell = null;
        return descendLeftmost(t.childPage(p, idx[top]));
    }

    /** Pops finished pages until an interior page has a cell to stand on. */
    private boolean ascend() {
        cell = null;
        while (--top >= 0) {
            BTreePage p = pages[top];
            if (idx[top] < p.nCells) {
                cell = Cell.parse(p, idx[top], t.g, t.r);
                return true;
            }
        }
        top = -1;
        return false;
    }

    private boolean descendLeftmost(int pgno) {
        int pg = pgno;
        while (true) {
            BTreePage p = t.load(pg, top + 1);
            pages[++top] = p;
            idx[top] = 0;
            if (p.leaf) {
                if (p.nCells > 0) {
                    cell = Cell.parse(p, 0, t.g, t.r);
                    return true;
                }
                if (top > 0) {
                    throw t.r.corrupt(p.pgno, "empty non-root leaf page");
                }
                return ascend();
            }
            pg = t.childPage(p, 0);
        }
    }

    public byte[] key() {
        checkValid();
        return t.key(pages[top], cell);
    }

    public byte[] value() {
        checkValid();
        return t.value(pages[top], cell);
    }

    /** Bytes of key plus value, without reading them. */
    public long payloadSize() {
        checkValid();
        return cell.payloadSize - 4;
    }

    private void checkValid() {
        if (cell == null) {
            throw new IllegalStateException("cursor is not positioned on an entry");
        }
    }
}
