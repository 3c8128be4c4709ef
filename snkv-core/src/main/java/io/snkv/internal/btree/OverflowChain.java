package io.snkv.internal.btree;

/**
 * Payload bytes that spill past a cell: a chain of overflow pages, each {@code [4-byte next][usable-4
 * bytes]}. Reads follow exactly as many links as the payload size needs, so a looping or truncated
 * chain is reported, never followed forever.
 */
final class OverflowChain {
    private OverflowChain() {
    }

    /**
     * Copies payload bytes {@code [from, from+len)} of a cell whose local part starts at {@code localStart}
     * on {@code page} into {@code dest}.
     */
    static void read(PageReader r, PayloadGeometry g, BTreePage page, Cell cell, long from, int len, byte[] dest, int destOff) {
        if (from < 0 || from + len > cell.payloadSize) {
            throw r.corrupt(page.pgno, "payload read past the payload size");
        }
        int done = 0;
        if (from < cell.localSize) {
            int n = (int) Math.min(len, cell.localSize - from);
            System.arraycopy(page.data, cell.localStart + (int) from, dest, destOff, n);
            done = n;
        }
        if (done == len) {
            return;
        }
        int cap = g.overflowCapacity;
        long pos = cell.localSize; // payload offset of the current overflow page's first byte
        int pgno = cell.overflow;
        long remainingPages = g.overflowPages(cell.payloadSize, !page.index);
        int prev = page.pgno;
        while (done < len) {
            if (remainingPages-- <= 0 || pgno < 2 || pgno > r.pageCount()) {
                throw r.corrupt(prev, "broken overflow chain (link to page " + pgno + ")");
            }
            long want = from + done;
            if (want < pos + cap) {
                byte[] d = r.page(pgno);
                int inPage = (int) (want - pos);
                int n = Math.min(len - done, cap - inPage);
                System.arraycopy(d, 4 + inPage, dest, destOff + done, n);
                done += n;
                if (done == len) {
                    return;
                }
                prev = pgno;
                pgno = Bytes.u32(d, 0);
            } else {
                // Skip whole pages before the wanted range: only their link is needed.
                byte[] d = r.page(pgno);
                prev = pgno;
                pgno = Bytes.u32(d, 0);
            }
            pos += cap;
        }
    }

    /** Writes payload bytes past the local part into a new chain; returns its first page. */
    static int write(PageAllocator alloc, PageWriter w, PayloadGeometry g, PayloadSource src, int local, int total) {
        int cap = g.overflowCapacity;
        int first = 0;
        int prev = 0;
        byte[] prevData = null;
        for (int pos = local; pos < total; pos += cap) {
            int pgno = alloc.allocate(prev == 0 ? PointerMap.OVERFLOW1 : PointerMap.OVERFLOW2, prev);
            byte[] d = w.writable(pgno);
            int n = Math.min(cap, total - pos);
            src.copy(pos, d, 4, n);
            if (prevData != null) {
                Bytes.put32(prevData, 0, pgno);
            } else {
                first = pgno;
            }
            prev = pgno;
            prevData = d;
        }
        return first;
    }

    /** Frees the chain that starts at {@code first} and carries {@code pages} pages. */
    static void free(PageAllocator alloc, PageWriter w, int ownerPage, int first, long pages) {
        int pgno = first;
        int prev = ownerPage;
        for (long i = 0; i < pages; i++) {
            if (pgno < 2 || pgno > w.pageCount()) {
                throw w.corrupt(prev, "broken overflow chain (link to page " + pgno + ")");
            }
            int next = Bytes.u32(w.page(pgno), 0);
            alloc.free(pgno);
            prev = pgno;
            pgno = next;
        }
    }

    /** Bytes of a payload, produced on demand so a large value is never copied whole into a cell. */
    interface PayloadSource {
        void copy(int from, byte[] dest, int destOff, int len);
    }
}
