package io.snkv.internal.pager;

import io.snkv.CorruptDatabaseException;

/**
 * The write transaction. Changed pages live here as private copies until {@link #commit} hands them
 * to the log; {@link #rollback} drops them. Used by one thread.
 */
public final class WriteTxn {
    private final Pager pager;
    private final Snapshot base;
    final PageMap dirty = new PageMap();
    /** Committed pages already fetched in this transaction (the b-tree reads its upper levels over and over). */
    private final PageMap clean = new PageMap();
    final int startSize;
    int dbSize;
    /** Commit the pages exactly as they are: page 1's counter and size are the caller's (an applied LTX file). */
    boolean raw;
    private boolean ended;

    /** The lock owner of the shared WAL write lock (WAL mode), else null. */
    final Object owner;

    WriteTxn(Pager pager, int dbSize, Snapshot base) {
        this(pager, dbSize, base, null);
    }

    WriteTxn(Pager pager, int dbSize, Snapshot base, Object owner) {
        this.pager = pager;
        this.startSize = dbSize;
        this.dbSize = dbSize;
        this.base = base;
        this.owner = owner;
    }

    Snapshot base() {
        return base;
    }

    /** The page as this transaction sees it; callers must not modify it. */
    public byte[] page(int pgno) {
        byte[] d = dirty.get(pgno);
        if (d != null) {
            return d;
        }
        if (pgno < 1 || pgno > dbSize) {
            throw pager.corrupt(pgno, "page number out of range (database has " + dbSize + " pages)");
        }
        if (pgno > startSize) {
            return new byte[pager.pageSize()];
        }
        d = clean.get(pgno);
        if (d == null) {
            d = base.page(pgno);
            if (clean.size() < 64) {
                clean.put(pgno, d);
            }
        }
        return d;
    }

    /** The committed version from before this transaction. */
    byte[] base(int pgno) {
        return base.page(pgno);
    }

    /** The committed version of a page from before this transaction (callers must not modify it). */
    public byte[] committedPage(int pgno) {
        if (pgno < 1 || pgno > startSize) {
            throw pager.corrupt(pgno, "page number out of range (database had " + startSize + " pages)");
        }
        return base.page(pgno);
    }

    /** Database size in pages before this transaction. */
    public int startPageCount() {
        return startSize;
    }

    /** Makes the commit write the pages as given: no change counter or page count update on page 1. */
    public void commitPagesAsGiven() {
        raw = true;
    }

    /** The pager this transaction belongs to. */
    public Pager pager() {
        return pager;
    }

    /** A private copy of the page, modifiable until commit. */
    public byte[] writable(int pgno) {
        byte[] d = dirty.get(pgno);
        if (d == null) {
            d = page(pgno).clone();
            dirty.put(pgno, d);
        }
        return d;
    }

    /** A zero-filled private page. */
    public byte[] fresh(int pgno) {
        if (pgno < 1 || pgno > dbSize) {
            throw pager.corrupt(pgno, "page number out of range (database has " + dbSize + " pages)");
        }
        byte[] d = new byte[pager.pageSize()];
        dirty.put(pgno, d);
        return d;
    }

    public int pageCount() {
        return dbSize;
    }

    public void setPageCount(int pages) {
        if (pages < dbSize) {
            dirty.removeAbove(pages);
        }
        dbSize = pages;
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

    /** Makes the changes durable (as the sync level says) and visible, then ends the transaction. */
    public void commit() {
        checkActive();
        try {
            pager.commit(this);
        } catch (io.snkv.BusyException e) {
            // Nothing was written: the transaction stays open, to commit again or roll back (as SQLite).
            throw e;
        } catch (RuntimeException e) {
            endIfOpen();
            throw e;
        }
        endIfOpen();
        pager.afterCommit();
    }

    /** Drops every change and ends the transaction. */
    public void rollback() {
        endIfOpen();
    }

    void endIfOpen() {
        if (!ended) {
            ended = true;
            dirty.clear();
            clean.clear();
            pager.endWrite(this);
        }
    }

    public boolean isActive() {
        return !ended;
    }

    private void checkActive() {
        if (ended) {
            throw new IllegalStateException("transaction already ended");
        }
    }
}
