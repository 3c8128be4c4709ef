package io.snkv.internal.btree;

/** Reads a table b-tree (SQLite "intkey": rowid-ordered rows in the leaves). */
final class TableTree {
    private final PageReader r;
    private final PayloadGeometry g;
    private final int root;

    interface RowVisitor {
        void row(long rowid, byte[] payload);
    }

    TableTree(PageReader r, int root) {
        this.r = r;
        this.g = PayloadGeometry.of(r.usableSize());
        this.root = root;
    }

    void forEachRow(RowVisitor v) {
        walk(root, 0, v);
    }

    private void walk(int pgno, int level, RowVisitor v) {
        if (level >= TreePath.MAX_DEPTH) {
            throw r.corrupt(pgno, "table b-tree deeper than " + TreePath.MAX_DEPTH + " levels (a page loop)");
        }
        BTreePage p = BTreePage.load(r, pgno);
        if (p.index) {
            throw r.corrupt(pgno, "key-value b-tree page inside a table b-tree");
        }
        for (int i = 0; i < p.nCells; i++) {
            Cell c = Cell.parse(p, i, g, r);
            if (p.leaf) {
                byte[] payload = new byte[(int) c.payloadSize];
                OverflowChain.read(r, g, p, c, 0, payload.length, payload, 0);
                v.row(c.rowid, payload);
            } else {
                walk(checkedChild(p, c.child), level + 1, v);
            }
        }
        if (!p.leaf) {
            walk(checkedChild(p, p.rightChild()), level + 1, v);
        }
    }

    private int checkedChild(BTreePage p, int child) {
        if (child < 2 || child > r.pageCount() || child == p.pgno) {
            throw r.corrupt(p.pgno, "child pointer to page " + child + " out of range");
        }
        return child;
    }
}
