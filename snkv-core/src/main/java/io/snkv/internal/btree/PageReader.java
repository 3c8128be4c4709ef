package io.snkv.internal.btree;

import io.snkv.CorruptDatabaseException;

/** Read access to one consistent version of the database: a read snapshot or a write transaction. */
public interface PageReader {
    /** The page's bytes; callers must not modify them. Throws {@link CorruptDatabaseException} past the end. */
    byte[] page(int pgno);

    int pageSize();

    /** Page size minus the reserved bytes at the end of each page. */
    int usableSize();

    /** Database size in pages in this version. */
    int pageCount();

    /** An exception naming the file and page. */
    CorruptDatabaseException corrupt(int pgno, String what);
}
