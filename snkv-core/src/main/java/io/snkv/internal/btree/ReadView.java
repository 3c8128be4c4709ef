package io.snkv.internal.btree;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.pager.Snapshot;

/** A read transaction: one committed state of the database as a {@link PageReader}. Close it. */
public final class ReadView implements PageReader, AutoCloseable {
    private final Snapshot s;

    ReadView(Snapshot s) {
        this.s = s;
    }

    @Override
    public byte[] page(int pgno) {
        return s.page(pgno);
    }

    @Override
    public int pageSize() {
        return s.pageSize();
    }

    @Override
    public int usableSize() {
        return s.usableSize();
    }

    @Override
    public int pageCount() {
        return s.pageCount();
    }

    @Override
    public CorruptDatabaseException corrupt(int pgno, String what) {
        return s.corrupt(pgno, what);
    }

    @Override
    public void close() {
        s.close();
    }
}
