/**
 * Pages, transactions, durability and sharing: the page cache, read snapshots, the single writer, commit and
 * rollback through the WAL ({@link io.snkv.internal.pager.WalFile}) or the rollback journal
 * ({@link io.snkv.internal.pager.RollbackJournal}), checkpoints and crash recovery.
 *
 * <h2>Connections and processes</h2>
 * A {@link io.snkv.internal.pager.Pager} is one connection. Connections in this JVM and in other
 * processes (SNKV in Java or C, SQLite itself) share a file with SQLite's own protocol: POSIX locks on
 * SQLite's lock bytes ({@link io.snkv.internal.io.SqliteLockLayout}), and in WAL mode SQLite's
 * wal-index in {@code <db>-shm} ({@link io.snkv.internal.pager.WalIndexFormat},
 * {@link io.snkv.internal.pager.SharedWal}). Inside one connection, threads share one write lock
 * (fair) and each read transaction holds its own read lock.
 *
 * <h2>Transactions</h2>
 * One write transaction at a time. It keeps every page it changes as a private copy until commit, so
 * nothing reaches a file before the commit and a rollback only drops the copies. Readers never see a
 * writer's copies.
 *
 * <h2>WAL mode</h2>
 * A connection holds SHARED on the database file for its whole life (as SQLite's WAL connections do),
 * so that the last one can tell it is last. A read snapshot holds a read mark on the wal-index: frames
 * {@code nBackfill+1 .. mxFrame} of the log, newest copy of each page first, else the database file.
 * Commit takes WAL_WRITE_LOCK, appends the changed pages as frames (the last one carrying the new
 * database size) in one write, enters them in the wal-index hash tables and publishes the new header.
 * A checkpoint copies frames back no further than the lowest read mark still held, and RESTART and
 * TRUNCATE restart the log once no reader uses it; a writer restarts a fully copied log by itself.
 * Pages cached from the database file are dropped whenever the log restarted or frames were copied
 * back since the connection's last look. The last connection to close checkpoints and deletes the WAL
 * and the wal-index. A new file's first pages are written through the rollback journal, as SQLite
 * creates files, because a C process deletes the WAL of an empty database file as stale.
 *
 * <h2>Rollback-journal (DELETE) mode</h2>
 * Readers hold SHARED; a writer RESERVED; a commit waits for other connections' readers to leave
 * (EXCLUSIVE, within the busy timeout), writes the original of every page it will overwrite to
 * {@code <db>-journal}, then writes the pages into the database file, then deletes the journal: the
 * deletion is the commit point. A journal with a valid header and no live RESERVED holder is hot and is
 * played back before anything is read. A reader that takes SHARED afresh drops its cache if the change
 * counter moved.
 *
 * <h2>fsync points (SQLite's, by sync level)</h2>
 * <ul>
 *   <li>OFF: none.
 *   <li>WAL, NORMAL: the log header when the log is created or restarted; at checkpoint, the log
 *       before any page is copied back, then the database file after the copy. Commits: none.
 *   <li>WAL, FULL: as NORMAL, plus the log after every commit's frames.
 *   <li>DELETE, NORMAL: the journal once, after its records and header, before the database is
 *       touched; the database after its pages are written, before the journal is deleted.
 *   <li>DELETE, FULL: the journal twice (records, then the header that counts them) and its
 *       directory; then as NORMAL. The journal's deletion (the commit) is not followed by a directory
 *       sync: SQLite does that only at EXTRA, which SNKV does not have.
 *   <li>A hot-journal playback syncs the database before deleting the journal, at every level.
 * </ul>
 *
 * <h2>Failures</h2>
 * A failed write or fsync during commit undoes the commit before the error reaches the caller: WAL
 * frames are cut off the log; in DELETE mode the journal is played back. The store is then exactly
 * as before the transaction. When the undo fails too, the store refuses further use until reopened
 * (the change may or may not be found then, never in part).
 *
 * <p>Calls only {@link io.snkv.internal.io}.
 */
package io.snkv.internal.pager;
