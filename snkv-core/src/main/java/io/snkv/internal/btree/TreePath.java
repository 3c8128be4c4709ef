package io.snkv.internal.btree;

/** The pages and cell positions from a root down to where a search ended. */
final class TreePath {
    /** SQLite's limit: no b-tree is deeper, so a deeper walk means a cycle. */
    static final int MAX_DEPTH = 20;

    final int[] pgno = new int[MAX_DEPTH];
    /** On each page: the cell matched, or the child slot descended into (nCells = right child). */
    final int[] idx = new int[MAX_DEPTH];
    /** Index of the last level in use. */
    int last = -1;
    boolean found;
    /** Every level took its right-most slot: an insertion here appends to the tree. */
    boolean rightmost;

    void push(int page, int i) {
        pgno[++last] = page;
        idx[last] = i;
    }

    TreePath copyUpTo(int level) {
        TreePath p = new TreePath();
        System.arraycopy(pgno, 0, p.pgno, 0, level + 1);
        System.arraycopy(idx, 0, p.idx, 0, level + 1);
        p.last = level;
        return p;
    }
}
