/**
 * Pages, transactions and durability: the page cache, read snapshots, the single writer, commit and
 * rollback through the WAL ({@link io.snkv.internal.pager.WalFile}) or the rollback journal
 * ({@link io.snkv.internal.pager.RollbackJournal}), checkpoints and crash recovery.
 *
 * <h2>Transactions</h2>
 * One write transaction at a time (a fair in-process lock). It keeps every page it changes as a
 * private copy until commit, so nothing reaches a file before the commit and a rollback only drops
 * the copies. Readers never see a writer's copies.
 *
 * <h2>WAL mode</h2>
 * Commit appends the changed pages as frames, the last one carrying the new database size, in one
 * write, then publishes the new end of the log to new readers. A read snapshot is (log generation,
 * last frame, database size): each page comes from its newest frame at or before that frame, else
 * from the database file. A checkpoint copies frames back up to the oldest snapshot still running
 * (so no reader ever finds a page of the database file newer than its snapshot), and the log restarts
 * from frame 1, with new salts, once every frame is copied and no reader uses the log. A reader that
 * starts when every frame is copied reads the database file only.
 *
 * <h2>Rollback-journal (DELETE) mode</h2>
 * Commit first waits for other threads' readers to leave, writes the original of every page it will
 * overwrite to {@code <db>-journal}, then writes the pages into the database file, then deletes the
 * journal: the deletion is the commit point. On open, a journal with a valid header is hot and is
 * played back before anything is read.
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
