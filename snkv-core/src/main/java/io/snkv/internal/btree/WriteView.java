package io.snkv.internal.btree;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.pager.WriteTxn;

/**
 * The write transaction as a {@link PageWriter}: changes stay private until {@link #commit}; closing an
 * uncommitted view rolls it back.
 */
public final class WriteView implements PageWriter, AutoCloseable {
    private final WriteTxn t;

    WriteView(WriteTxn t) {
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

    /** Makes the changes durable and visible; a busy refusal leaves the transaction open. */
    public void commit() {
        t.commit();
    }

    /** Drops the changes (no-op once committed). */
    public void rollback() {
        t.rollback();
    }

    @Override
    public void close() {
        t.rollback();
    }
}
