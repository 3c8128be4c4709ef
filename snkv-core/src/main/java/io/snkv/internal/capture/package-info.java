/**
 * Change capture: every committed write transaction becomes one LTX file (format in {@code io.snkv.ltx}).
 *
 * <h2>The seam, decided once</h2>
 * The engine writes LTX itself, through {@code snkv-ltx}: the pager calls a
 * {@link io.snkv.internal.pager.CommitHook} (here {@link io.snkv.internal.capture.ChangeLog}) while it holds
 * the database's write lock, so the log and the database move together in whichever process commits.
 * The replication node only moves the files this package writes; it needs no hook into commits.
 *
 * <h2>Files</h2>
 * {@code <data dir>/dbs/<database file name>/}: {@code ltx/<min>-<max>.ltx} (16 lower-case hex digits each),
 * {@code pos} ({@code "<txid>/<checksum>\n"}: the position of the last durable commit, a cache of the
 * log, never ahead of the database) and {@code mark} (which database state {@code pos} describes, in
 * the pager's {@linkplain io.snkv.internal.pager.Pager#stateMark terms}: WAL salts, last commit frame and
 * running checksum, or the file's size, modification time and change counter). Commits are
 * {@code <t>-<t>.ltx}; TXID 1 and a log restarted after a gap are snapshots {@code 1-<t>.ltx} holding
 * every page, and a snapshot replaces the files before it.
 *
 * <h2>Commit protocol (one commit, write lock held throughout)</h2>
 * <ol>
 * <li>Begin ({@code beforeWrite}): if the database's state mark equals the one this connection recorded and
 *     no file {@code <pos+1>-...} exists, the position is current (the fast path: two {@code stat}s). Else read
 *     {@code pos} and {@code mark}; a file above {@code pos} is a commit a dead writer published: apply it
 *     again as one transaction (roll forward: the file holds whole pages, so this is right whether the
 *     database already has it or not; the result's checksum is recomputed in full). If the mark differs,
 *     recompute the database checksum; if it is not {@code pos}'s, a commit bypassed the log (a connection
 *     without capture, another library): log a snapshot at the next TXID, so no replica applies a file to a
 *     state it was not made for.</li>
 * <li>Commit ({@code prepare}): TXID t = pos + 1; post-apply checksum = pos checksum XOR old(p) XOR new(p)
 *     for each changed page, pages cut off by a shrink XORed out (old checksums remembered per page, 8 bytes
 *     each, while no other writer intervenes). Encode to {@code <t>-<t>.ltx.tmp}, rename to
 *     {@code <t>-<t>.ltx}. Sync level FULL: fsync the file before the rename and the directory after;
 *     NORMAL: every file written since, and the directory, are fsynced before each checkpoint and at close
 *     (as the WAL itself is); OFF: never.</li>
 * <li>The pager commits the pages (WAL frames, or journal and database file).</li>
 * <li>{@code committed}: replace {@code pos}, then {@code mark} (temporary file and rename, no fsync); still
 *     under the write lock. If the database commit failed and was undone, {@code abandoned} deletes the file
 *     instead; if it could not be undone the file stays and the next writer rolls it forward.</li>
 * </ol>
 * So after a SIGKILL at any point: before the rename, a {@code .tmp} (deleted by the next writer); after
 * the rename, the log is one file ahead and the next open or writer rolls it forward; after the commit,
 * {@code pos} is behind and the same roll forward is a no-op on content. No committed transaction lacks its
 * file and no published file stays without its transaction. A power loss at NORMAL or OFF can cut the log
 * and the database at different points, and can tear a file written after the last flush: the log records
 * the machine's boot ID ({@code boot}) and, when the last connection closes a WAL database after its final
 * checkpoint at NORMAL or FULL, a clean-stop marker ({@code clean}, removed durably at the next open). The
 * first writer in a new boot without that marker checksums the database and looks for the highest file it
 * equals, every file below verified whole: the files above are removed; when none matches, a snapshot
 * above every TXID used is logged ({@link io.snkv.internal.capture.PowerLossCheck}). Rollback-journal
 * databases never get the marker, so they are checked after every reboot: one checksum.
 *
 * <h2>Applying</h2>
 * {@link io.snkv.internal.capture.LtxApply} decodes a file into one write transaction (pages as given,
 * verified as read), checks the pre-apply checksum against the position and the post-apply checksum
 * against the result before committing; with capture on the file joins the log through the same
 * protocol. {@link io.snkv.internal.capture.SnapshotWriter} copies a live database from one read
 * transaction whose position is known ({@code PositionedRead}); {@link io.snkv.internal.capture.ImageExport}
 * copies the same as a raw image; {@link io.snkv.internal.capture.SnapshotRestore} creates a database from a
 * snapshot; {@link io.snkv.internal.capture.ImageImport} commits a raw image as one ordinary transaction (so the
 * log records it as any commit, every page in one file); {@link io.snkv.internal.capture.LogRetention} removes
 * old files in the background.
 *
 * <p>May call the pager ({@code WriteTxn}, {@code Snapshot}, {@code Pager}), the io layer's
 * {@code Storage} and {@code snkv-ltx}; the pager knows this package only as a {@code CommitHook}.
 */
package io.snkv.internal.capture;
