package io.snkv.internal.btree;

/** The geometry of one cell on a page, parsed and bounds-checked. */
final class Cell {
    /** Offset of the cell on the page. */
    final int offset;
    /** Left child (interior pages), else 0. */
    final int child;
    /** Table b-trees: the rowid (interior and leaf). */
    final long rowid;
    final long payloadSize;
    /** Offset of the first local payload byte on the page. */
    final int localStart;
    final int localSize;
    /** First overflow page, or 0. */
    final int overflow;
    /** Bytes the cell occupies on the page, child pointer included. */
    final int size;

    private Cell(int offset, int child, long rowid, long payloadSize, int localStart, int localSize, int overflow, int size) {
        this.offset = offset;
        this.child = child;
        this.rowid = rowid;
        this.payloadSize = payloadSize;
        this.localStart = localStart;
        this.localSize = localSize;
        this.overflow = overflow;
        this.size = size;
    }

    static Cell parse(BTreePage p, int i, PayloadGeometry g, PageReader src) {
        int off = p.cellOffset(i);
        int end = p.usable;
        if (off < p.ptrStart + 2 * p.nCells || off >= end) {
            throw src.corrupt(p.pgno, "cell " + i + " offset " + off + " outside the content area");
        }
        byte[] d = p.data;
        int pos = off;
        int child = 0;
        if (!p.leaf) {
            if (pos + 4 > end) {
                throw src.corrupt(p.pgno, "cell " + i + " runs past the page end");
            }
            child = Bytes.u32(d, pos);
            pos += 4;
        }
        int[] len = new int[1];
        if (!p.index && !p.leaf) {
            long rowid = Bytes.getVarint(d, pos, end, len);
            if (len[0] < 0) {
                throw src.corrupt(p.pgno, "cell " + i + " rowid runs past the page end");
            }
            return new Cell(off, child, rowid, 0, pos + len[0], 0, 0, pos + len[0] - off);
        }
        long payload = Bytes.getVarint(d, pos, end, len);
        if (len[0] < 0 || payload < 0 || payload > Integer.MAX_VALUE) {
            throw src.corrupt(p.pgno, "cell " + i + " has a bad payload size");
        }
        pos += len[0];
        long rowid = 0;
        if (!p.index) {
            rowid = Bytes.getVarint(d, pos, end, len);
            if (len[0] < 0) {
                throw src.corrupt(p.pgno, "cell " + i + " rowid runs past the page end");
            }
            pos += len[0];
        }
        int local = g.localSize(payload, !p.index);
        int overflow = 0;
        int cellEnd = pos + local;
        if (local < payload) {
            if (cellEnd + 4 > end) {
                throw src.corrupt(p.pgno, "cell " + i + " runs past the page end");
            }
            overflow = Bytes.u32(d, cellEnd);
            cellEnd += 4;
        } else if (cellEnd > end) {
            throw src.corrupt(p.pgno, "cell " + i + " runs past the page end");
        }
        return new Cell(off, child, rowid, payload, pos, local, overflow, Math.max(cellEnd - off, 4));
    }
}
