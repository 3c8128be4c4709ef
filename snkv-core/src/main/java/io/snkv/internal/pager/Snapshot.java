package io.snkv.internal.pager;

import io.snkv.CorruptDatabaseException;

/**
 * A read transaction: one committed state of the database, fixed for its life (WAL mode: a read mark
 * on the shared wal-index), or the current committed state under a SHARED lock (rollback-journal mode).
 * Close it when done. One thread at a time; several threads may each hold their own.
 */
public final class Snapshot implements AutoCloseable {
    private final Pager pager;
    /** WAL mode: the frames this snapshot sees; null when it reads the database file alone. */
    final SharedWal.View view;
    /** The lock owner holding {@link #view}'s read mark. */
    final Object owner;
    final int dbSize;
    /** Rollback-journal mode: reads the current committed state (the SHARED lock keeps it still). */
    final boolean live;
    /** Releases its lock at close (a write transaction's base snapshot is released by the transaction). */
    final boolean registered;
    private boolean closed;

    Snapshot(Pager pager, SharedWal.View view, Object owner, int dbSize, boolean live, boolean registered) {
        this.pager = pager;
        this.view = view;
        this.owner = owner;
        this.dbSize = dbSize;
        this.live = live;
        this.registered = registered;
    }

    public byte[] page(int pgno) {
        return pager.readPage(this, pgno);
    }

    public int pageCount() {
        return live ? pager.pageCount() : dbSize;
    }

    public int pageSize() {
        return pager.pageSize();
    }

    public int usableSize() {
        return pager.usableSize();
    }

    public CorruptDatabaseException corrupt(int pgno, String what) {
        return pager.corrupt(pgno, what);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (registered) {
                pager.endRead(this);
            }
        }
    }
}
