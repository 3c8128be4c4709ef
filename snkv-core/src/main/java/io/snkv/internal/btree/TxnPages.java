package io.snkv.internal.btree;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.pager.WriteTxn;

/** A pager write transaction seen as a {@link PageWriter}. */
public final class TxnPages implements PageWriter {
    private final WriteTxn t;

    public TxnPages(WriteTxn t) {
        this.t = t;
    }

    @Override
    public byte[] page(int pgno) {
        return t.page(pgno);
    }

    @Override
    public byte[] writable(int pgno) {
        return t.writable(pgno);
    }

    @Override
    public byte[] fresh(int pgno) {
        return t.fresh(pgno);
    }

    @Override
    public void setPageCount(int pages) {
        t.setPageCount(pages);
    }

    @Override
    public int pageSize() {
        return t.pageSize();
    }

    @Override
    public int usableSize() {
        return t.usableSize();
    }

    @Override
    public int pageCount() {
        return t.pageCount();
    }

    @Override
    public CorruptDatabaseException corrupt(int pgno, String what) {
        return t.corrupt(pgno, what);
    }
}
