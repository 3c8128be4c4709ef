package io.snkv.internal.pager;

import java.io.IOException;

/**
 * What the pager tells a change log about each write transaction (see {@code io.snkv.internal.capture}).
 * Every call is made by the thread holding the write lock: the database's write lock across processes
 * (WAL_WRITE_LOCK in WAL mode, RESERVED in rollback mode) and this connection's writer lock, so a hook
 * sees the transactions of all processes one at a time.
 */
public interface CommitHook {
    /**
     * A write transaction has begun and changed nothing yet. The hook may bring the log and the
     * database into agreement first, by committing {@code t} itself (rolling an unfinished commit
     * forward); it then returns true and the pager begins a new transaction.
     */
    boolean beforeWrite(WriteTxn t);

    /**
     * The transaction's pages are final and about to reach the log or journal: the hook makes its record
     * of them (durable as the sync level says) and returns a token for {@link #committed} or
     * {@link #abandoned}. Throwing here fails the commit with nothing written to the database.
     */
    Object prepare(CommitPages pages) throws IOException;

    /** The commit is durable; {@code markAfter} identifies the database state it produced ({@link Pager#stateMark}). */
    void committed(Object token, String markAfter);

    /** The commit failed after {@link #prepare}: the hook withdraws its record. */
    void abandoned(Object token);

    /** Called before each checkpoint and at close: what the hook wrote must be durable before the database file changes. */
    void beforeCheckpoint() throws IOException;

    /** The connection's last connection on the file checkpointed and closed cleanly; {@code mark} is the file's state now. */
    void closedClean(String markBefore, String markAfter);
}
