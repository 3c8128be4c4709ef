package io.snkv.internal.pager;

import io.snkv.CorruptDatabaseException;

/**
 * A read transaction: one committed state of the database, fixed for its life (WAL mode), or the
 * current committed state under a shared lock (rollback-journal mode). Close it when done. One thread
 * at a time; several threads may each hold their own.
 */
public final class Snapshot implements AutoCloseable {
    private final Pager pager;
    final int generation;
    final int mx;
    final WalIndex index;
    final int dbSize;
    final boolean live;
    /** Registered with the pager (a reader's lock or place in the reader list), released at close. */
    final boolean registered;
    private boolean closed;

    Snapshot(Pager pager, int generation, int mx, WalIndex index, int dbSize, boolean live) {
        this(pager, generation, mx, index, dbSize, live, true);
    }

    Snapshot(Pager pager, int generation, int mx, WalIndex index, int dbSize, boolean live, boolean registered) {
        this.registered = registered;
        this.pager = pager;
        this.generation = generation;
        this.mx = mx;
        this.index = index;
        this.dbSize = dbSize;
        this.live = live;
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
