package io.snkv.internal.btree;

/**
 * A view of one b-tree page's bytes: header fields, the cell pointer array and cell geometry. Checks
 * what it reads against the page bounds and reports damage through {@link PageReader#corrupt}.
 */
final class BTreePage {
    static final int INTERIOR_INDEX = 2;
    static final int INTERIOR_TABLE = 5;
    static final int LEAF_INDEX = 10;
    static final int LEAF_TABLE = 13;

    static final int OFF_TYPE = 0;
    static final int OFF_FIRST_FREEBLOCK = 1;
    static final int OFF_CELL_COUNT = 3;
    static final int OFF_CONTENT_START = 5;
    static final int OFF_FRAGMENTED = 7;
    static final int OFF_RIGHT_CHILD = 8;

    final int pgno;
    final byte[] data;
    /** Where the page header starts: 100 on page 1 (after the file header), else 0. */
    final int hdr;
    final int type;
    final boolean leaf;
    final boolean index;
    final int usable;
    final int nCells;
    /** First byte of the cell pointer array. */
    final int ptrStart;

    private BTreePage(int pgno, byte[] data, int usable, PageReader src) {
        this.pgno = pgno;
        this.data = data;
        this.usable = usable;
        this.hdr = pgno == 1 ? 100 : 0;
        this.type = data[hdr] & 0xff;
        switch (type) {
            case INTERIOR_INDEX -> { leaf = false; index = true; }
            case INTERIOR_TABLE -> { leaf = false; index = false; }
            case LEAF_INDEX -> { leaf = true; index = true; }
            case LEAF_TABLE -> { leaf = true; index = false; }
            default -> throw src.corrupt(pgno, "not a b-tree page (type byte " + type + ")");
        }
        this.ptrStart = hdr + (leaf ? 8 : 12);
        this.nCells = Bytes.u16(data, hdr + OFF_CELL_COUNT);
        if (ptrStart + 2 * nCells > usable) {
            throw src.corrupt(pgno, "cell count " + nCells + " does not fit the page");
        }
    }

    /** Reads and checks the header of page {@code pgno}. */
    static BTreePage load(PageReader src, int pgno) {
        if (pgno < 1 || pgno > src.pageCount()) {
            throw src.corrupt(pgno, "b-tree page number out of range (database has " + src.pageCount() + " pages)");
        }
        return new BTreePage(pgno, src.page(pgno), src.usableSize(), src);
    }

    /** Wraps bytes already fetched (a writable copy). */
    static BTreePage wrap(PageReader src, int pgno, byte[] data) {
        return new BTreePage(pgno, data, src.usableSize(), src);
    }

    static int headerSize(boolean leaf) {
        return leaf ? 8 : 12;
    }

    int cellOffset(int i) {
        return Bytes.u16(data, ptrStart + 2 * i);
    }

    int rightChild() {
        return Bytes.u32(data, hdr + OFF_RIGHT_CHILD);
    }

    int contentStart() {
        int c = Bytes.u16(data, hdr + OFF_CONTENT_START);
        return c == 0 ? 65536 : c;
    }

    int firstFreeblock() {
        return Bytes.u16(data, hdr + OFF_FIRST_FREEBLOCK);
    }

    int fragmented() {
        return data[hdr + OFF_FRAGMENTED] & 0xff;
    }

    /** Left child pointer of interior cell {@code i}, or the right child for {@code i == nCells}. */
    int childAt(int i) {
        return i == nCells ? rightChild() : Bytes.u32(data, cellOffset(i));
    }
}
