package io.snkv.internal.btree;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.pager.Snapshot;

/** A pager read snapshot seen as a {@link PageReader}. */
public final class SnapshotPages implements PageReader {
    private final Snapshot s;

    public SnapshotPages(Snapshot s) {
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
}
