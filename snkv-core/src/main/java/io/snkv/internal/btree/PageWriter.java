package io.snkv.internal.btree;

/** Write access inside one write transaction. */
public interface PageWriter extends PageReader {
    /** A private, modifiable copy of the page, kept for the rest of the transaction. */
    byte[] writable(int pgno);

    /** A new zero-filled page at {@code pgno} (past the old end, or a reused free page). */
    byte[] fresh(int pgno);

    /** Grows or shrinks the database to {@code pages} pages. */
    void setPageCount(int pages);
}
