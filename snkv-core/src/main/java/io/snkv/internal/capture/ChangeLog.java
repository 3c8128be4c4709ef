package io.snkv.internal.capture;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.SyncLevel;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import io.snkv.internal.pager.CommitHook;
import io.snkv.internal.pager.CommitPages;
import io.snkv.internal.pager.WriteTxn;
import io.snkv.ltx.Crc64Iso;
import io.snkv.ltx.LtxChecksums;
import io.snkv.ltx.LtxEncoder;
import io.snkv.ltx.LtxFileName;
import io.snkv.ltx.LtxHeader;
import io.snkv.ltx.PageCompressor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change log of one database, as one connection keeps it: every commit through this connection
 * becomes one LTX file, and each write transaction first makes sure the log and the database agree.
 * The protocol is in the package documentation. Calls come from the thread holding the write lock;
 * {@link #position()} and the retention sweep may come from any thread.
 */
public final class ChangeLog implements CommitHook, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);

    private final Storage storage;
    private final LogDirectory dir;
    private final SyncLevel syncLevel;
    private final long nodeId;
    private final Clock clock;
    private final PageChecksums sums = new PageChecksums();
    /** Log files renamed into place but not fsynced yet (sync level NORMAL). Guarded by this. */
    private final java.util.Set<Path> unsynced = new java.util.LinkedHashSet<>();
    /** A background flush is queued for {@link #unsynced}. Guarded by this. */
    private boolean flushScheduled;
    /** Files of {@link #unsynced} the background flush has written out already. Guarded by this. */
    private final java.util.Set<Path> flushedAhead = new java.util.HashSet<>();

    // Guarded by the write lock (and this, for readers of the position).
    private LtxPosition pos = LtxPosition.ZERO;
    /** The state mark {@link #pos} describes; null when not known to this connection. */
    private String mark;
    /** What the next {@link #prepare} records instead of encoding the transaction's pages. */
    private Pending planned;
    /** Whether this connection has compared the log's boot with this one (see {@link PowerLossCheck}). */
    private boolean bootChecked;

    /** One commit's record, between {@link #prepare} and {@link #committed}. */
    record Pending(Path file, LtxPosition after, boolean snapshot, boolean written, int[] pgnos, long[] newSums,
                   int count, int newSize, List<Path> earlier) {
        Pending(Path file, LtxPosition after, boolean snapshot, boolean written) {
            this(file, after, snapshot, written, null, null, 0, -1, List.of());
        }
    }

    /** The replication node this store commits for (writability, commit notices), or null. */
    private final io.snkv.spi.NodeAttachment node;

    public ChangeLog(Storage storage, Path dataDir, String databaseName, SyncLevel syncLevel, long nodeId, Clock clock,
                     io.snkv.spi.NodeAttachment node) {
        this.node = node;
        this.storage = storage;
        this.syncLevel = syncLevel;
        this.nodeId = nodeId;
        this.clock = clock;
        try {
            this.dir = new LogDirectory(storage, dataDir, databaseName);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "cannot create the change log directory under " + dataDir
                    + ": " + e.getMessage(), e);
        }
    }

    /** The position of the last commit this connection knows of (another process may have committed since). */
    public synchronized LtxPosition position() {
        return pos;
    }

    /** The position file as the last committer left it (read without the write lock; null when unreadable). */
    LtxPosition recordedPosition() {
        try {
            return dir.readPosition();
        } catch (IOException e) {
            return null;
        }
    }

    public Path ltxDirectory() {
        return dir.ltxDir();
    }

    Path stateDirectory() {
        return dir.stateDir();
    }

    LogDirectory directory() {
        return dir;
    }

    // ---- the hook ----

    @Override
    public boolean beforeWrite(WriteTxn t) {
        if (node != null) {
            node.checkWritable(); // before anything is written (REPLICATION.md 4.2 step 1)
        }
        String base = t.pager().stateMark(t);
        try {
            if (mark != null && mark.equals(base) && !unfinishedAbove(pos)) {
                return false;
            }
            return synchronise(t, base);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "change log of " + t.pager().path() + ": " + e.getMessage(), e);
        }
    }

    /** Whether a writer that died left a log file for the transaction after {@code p}. */
    private boolean unfinishedAbove(LtxPosition p) {
        long next = p.txid() + 1;
        return dir.exists(dir.file(next, next)) || dir.exists(dir.file(1, next));
    }

    /**
     * The slow path: another connection committed, or this one has not looked yet. Reads the recorded
     * position, rolls an unfinished commit forward, and checks that the database is where the position
     * says; when it is not (a commit that bypassed the log), the log gets a snapshot of the database
     * as it is, so that nobody applies a file on top of a state it was not made for.
     *
     * @return true when it committed {@code t} (the caller begins again)
     */
    private boolean synchronise(WriteTxn t, String base) throws IOException {
        sums.clear();
        for (Path tmp : dir.tempFiles()) {
            dir.delete(tmp); // only the lock holder writes them: these are a dead writer's
        }
        if (!bootChecked) {
            bootChecked = true;
            if (recoverAfterPowerLoss(t, base)) {
                return false;
            }
        }
        LtxPosition recorded = dir.readPosition();
        TreeMap<Long, LtxFileName.TxidRange> files = null;
        if (recorded == null) {
            files = dir.files();
            recorded = LtxPosition.ZERO;
        }
        Path unfinished = null;
        long next = recorded.txid() + 1;
        if (dir.exists(dir.file(next, next))) {
            unfinished = dir.file(next, next);
        } else if (dir.exists(dir.file(1, next))) {
            unfinished = dir.file(1, next);
        } else if (files != null && !files.isEmpty()) {
            LtxFileName.TxidRange h = files.lastEntry().getValue();
            unfinished = dir.file(h.minTxid(), h.maxTxid());
        }
        if (unfinished != null && t.startPageCount() == 0
                && LtxApply.readHeader(unfinished).pageSize() != t.pageSize()) {
            // The first commit of a new file failed after its file was published (the database stayed empty and
            // the store was reopened with another page size): that file never became a transaction; drop it.
            LOG.info("{}: dropping {}, the unfinished first commit of a database that is still empty",
                    t.pager().path(), unfinished.getFileName());
            dir.delete(unfinished);
            unfinished = null;
        }
        if (unfinished != null) {
            rollForward(t, unfinished);
            return true;
        }
        String recordedMark = dir.readMark();
        setPosition(recorded, null);
        if (recorded.txid() == 0) {
            if (t.startPageCount() > 0) {
                // A database that was there before its log: the log starts with a snapshot of it.
                writeSnapshotRecord(t, 1, base);
            } else {
                mark = base;
            }
            return false;
        }
        if (base.equals(recordedMark)) {
            mark = base;
            return false;
        }
        long actual = checksumOf(t);
        if (actual == recorded.checksum()) {
            mark = base;
            dir.writeMark(base);
            return false;
        }
        LOG.warn("{} changed without its change log (checksum {} where the log's position {} says {}); "
                        + "logging a snapshot at TXID {}", t.pager().path(), hex(actual), recorded,
                hex(recorded.checksum()), Long.toUnsignedString(next));
        writeSnapshotRecord(t, next, base);
        return false;
    }

    /**
     * Once per connection, before anything else: a log last opened in another boot, without a clean stop,
     * is checked against the database (see {@link PowerLossCheck}). When the database equals file k the
     * files above k (lost from the database, or torn) are deleted; when it equals none, the log gets a
     * snapshot above every TXID it has used. The clean-stop marker is removed either way, durably.
     *
     * @return whether it checked (the log and the database then agree)
     */
    private boolean recoverAfterPowerLoss(WriteTxn t, String base) throws IOException {
        String boot = PowerLossCheck.currentBootId();
        if (boot == null) {
            return false;
        }
        String recordedBoot = dir.readBoot();
        boolean clean = dir.cleanStopMarked();
        if (clean) {
            dir.clearCleanStop();
        }
        boolean check = PowerLossCheck.needed(recordedBoot, boot, clean);
        if (check) {
            LtxPosition recorded = dir.readPosition();
            TreeMap<Long, LtxFileName.TxidRange> files = dir.files();
            if (t.pageCount() == 0) {
                LOG.warn("{}: empty after an unclean stop in an earlier boot; its change log starts again",
                        t.pager().path());
                removeAllExcept(null);
                setPosition(LtxPosition.ZERO, base);
                dir.writePosition(LtxPosition.ZERO);
                dir.writeMark(base);
            } else {
                long actual = checksumOf(t);
                java.util.Optional<LtxFileName.TxidRange> k = PowerLossCheck.fileMatching(dir, actual);
                if (k.isPresent()) {
                    long at = k.get().maxTxid();
                    for (LtxFileName.TxidRange r : files.tailMap(at, false).values()) {
                        dir.delete(dir.file(r.minTxid(), r.maxTxid()));
                    }
                    LOG.warn("{}: after an unclean stop in an earlier boot the database is at TXID {}; {} later "
                            + "log file(s) removed", t.pager().path(), Long.toUnsignedString(at), files.tailMap(at, false).size());
                    setPosition(new LtxPosition(at, actual), base);
                    dir.writePosition(pos);
                    dir.writeMark(base);
                } else {
                    long highest = files.isEmpty() ? 0 : files.lastKey();
                    if (recorded != null && Long.compareUnsigned(recorded.txid(), highest) > 0) {
                        highest = recorded.txid();
                    }
                    LOG.warn("{}: after an unclean stop in an earlier boot the database (checksum {}) matches no log "
                            + "file; logging a snapshot at TXID {}", t.pager().path(), hex(actual),
                            Long.toUnsignedString(highest + 1));
                    writeSnapshotRecord(t, highest + 1, base); // replaces every older file
                }
            }
        }
        if (!boot.equals(recordedBoot)) {
            try {
                dir.writeBoot(boot);
            } catch (IOException e) {
                // Costs only a second check at the next open.
                LOG.debug("could not record the boot ID in {}: {}", dir.stateDir(), e.toString());
            }
        }
        return check;
    }

    /** Commits the log's highest file again (see the package documentation: correct from either side of it). */
    private void rollForward(WriteTxn t, Path file) throws IOException {
        LOG.info("{}: finishing the commit of {} left by a writer that stopped", t.pager().path(), file.getFileName());
        LtxApply.Result r = LtxApply.intoTransaction(t, file, null, this::committedChecksum);
        planned = new Pending(file, r.after(), r.header().isSnapshot(), false);
        t.commit();
        if (!r.matchesTrailer()) {
            // The database was on neither side of the file: no mark, so the next writer's full check logs a snapshot.
            LOG.warn("{}: after rolling {} forward the database checksum is {}, not the file's {}",
                    t.pager().path(), file.getFileName(), hex(r.computed()), hex(r.after().checksum()));
            mark = null;
            dir.writeMark(null);
        }
    }

    /** The database checksum of what {@code t} sees, every page hashed (and remembered). */
    private long checksumOf(WriteTxn t) {
        return DatabaseChecksum.of(t.pageCount(), t.pageSize(), pg -> sums.compute(pg, t.page(pg)));
    }

    /** Logs a snapshot of the state {@code t} started from as TXID {@code txid}, and drops the files before it. */
    private void writeSnapshotRecord(WriteTxn t, long txid, String base) throws IOException {
        Path file = dir.file(1, txid);
        int n = t.pageCount();
        long c = checksumOf(t);
        LtxHeader h = header(t.pageSize(), n, 1, txid, 0);
        encode(file, h, c, enc -> {
            for (int pg = 1; pg <= n; pg = (int) h.pageAfter(pg)) {
                enc.writePage(pg, t.page(pg));
            }
        });
        setPosition(new LtxPosition(txid, c), base);
        dir.writePosition(pos);
        dir.writeMark(base);
        removeBefore(txid);
    }

    @Override
    public Object prepare(CommitPages c) throws IOException {
        if (planned != null) {
            Pending p = planned;
            planned = null;
            return p;
        }
        long txid = pos.txid() + 1;
        WriteTxn t = c.txn();
        long lock = LtxChecksums.lockPage(t.pageSize());
        boolean snapshot = txid == 1;
        int ps = t.pageSize();
        long post;
        long[] newSums = null;
        long[] raws;
        byte[][] blocks = null;
        if (snapshot) {
            post = 0;
            raws = new long[c.newSize() + 1];
            for (int pg = 1; pg <= c.newSize(); pg++) {
                if (pg != lock) {
                    raws[pg] = Crc64Iso.raw(pageAfter(c, pg), 0, ps);
                    post ^= LtxChecksums.pageChecksumFromRaw(pg, raws[pg], ps);
                }
            }
        } else {
            post = pos.checksum();
            newSums = new long[c.count()];
            raws = new long[c.count()];
            blocks = c.count() >= PARALLEL_PAGES ? new ParallelPages(c, ps).run(raws) : null;
            for (int i = 0; i < c.count(); i++) {
                int pg = c.pgnos()[i];
                if (pg == lock) {
                    continue;
                }
                // One pass over the page serves its page checksum and the LTX file checksum.
                if (blocks == null) {
                    raws[i] = Crc64Iso.raw(c.pages()[i], 0, ps);
                }
                newSums[i] = LtxChecksums.pageChecksumFromRaw(pg, raws[i], ps);
                post ^= oldChecksum(t, pg, c.oldSize()) ^ newSums[i];
            }
            for (int pg = c.newSize() + 1; pg <= c.oldSize(); pg++) {
                if (pg != lock) {
                    post ^= oldChecksum(t, pg, c.oldSize());
                }
            }
        }
        post |= LtxChecksums.FLAG;
        byte[][] compressed = blocks;
        LtxHeader h = header(ps, c.newSize(), snapshot ? 1 : txid, txid, snapshot ? 0 : pos.checksum());
        Path file = dir.file(h.minTxid(), txid);
        encode(file, h, post, enc -> {
            if (snapshot) {
                for (int pg = 1; pg <= c.newSize(); pg = (int) h.pageAfter(pg)) {
                    enc.writePage(pg, pageAfter(c, pg), raws[pg]);
                }
            } else {
                for (int i = 0; i < c.count(); i++) {
                    if (c.pgnos()[i] == lock) {
                        continue;
                    }
                    if (compressed != null) {
                        enc.writeCompressedPage(c.pgnos()[i], c.pages()[i], raws[i], compressed[i], compressed[i].length);
                    } else {
                        enc.writePage(c.pgnos()[i], c.pages()[i], raws[i]);
                    }
                }
            }
        });
        Pending pending = new Pending(file, new LtxPosition(txid, post), snapshot, true, c.pgnos(), newSums, c.count(),
                c.newSize(), List.of());
        if (node != null) {
            try {
                node.checkWritable(); // the lease may have gone while the file was written (4.2 step 5)
            } catch (RuntimeException e) {
                abandoned(pending);
                throw e;
            }
        }
        return pending;
    }

    /** The checksum of committed page {@code pg} (remembered, or hashed now). */
    long committedChecksum(WriteTxn t, int pg) {
        long s = sums.get(pg);
        return s != 0 ? s : sums.compute(pg, t.committedPage(pg));
    }

    /** Commits of at least this many pages hash and compress them on several threads (the rest writes in order). */
    private static final int PARALLEL_PAGES = 64;

    /** The per-page work of a large commit, split across the common pool: raw CRCs and LZ4 blocks. */
    private static final class ParallelPages {
        private final CommitPages c;
        private final int ps;

        ParallelPages(CommitPages c, int ps) {
            this.c = c;
            this.ps = ps;
        }

        byte[][] run(long[] raws) {
            byte[][] blocks = new byte[c.count()][];
            int chunks = Math.max(1, Math.min(c.count() / 16, 4 * Runtime.getRuntime().availableProcessors()));
            java.util.stream.IntStream.range(0, chunks).parallel().forEach(k -> {
                PageCompressor pc = new PageCompressor();
                byte[] buf = new byte[PageCompressor.maxCompressedLength(ps)];
                for (int i = k; i < c.count(); i += chunks) {
                    byte[] page = c.pages()[i];
                    raws[i] = Crc64Iso.raw(page, 0, ps);
                    int n = pc.compress(page, ps, buf);
                    blocks[i] = java.util.Arrays.copyOf(buf, n);
                }
            });
            return blocks;
        }
    }

    private long oldChecksum(WriteTxn t, int pg, int oldSize) {
        if (pg > oldSize) {
            return 0;
        }
        long s = sums.get(pg);
        return s != 0 ? s : sums.compute(pg, t.committedPage(pg));
    }

    /** Page {@code pg} as the commit leaves it. */
    private static byte[] pageAfter(CommitPages c, int pg) {
        int i = java.util.Arrays.binarySearch(c.pgnos(), 0, c.count(), pg);
        return i >= 0 ? c.pages()[i] : c.txn().page(pg);
    }

    @Override
    public void committed(Object token, String markAfter) {
        Pending p = (Pending) token;
        try {
            setPosition(p.after(), markAfter);
            dir.writePosition(p.after());
            dir.writeMark(markAfter);
            if (p.snapshot()) {
                // A snapshot replaces the whole log, files above it too (a replica resnapshotting after it had
                // gone further): left there, they would look like commits a dead writer never finished.
                removeAllExcept(p.file());
            }
        } catch (IOException | RuntimeException e) {
            // The position file is a cache of the log: the next writer finds the file above it and re-applies.
            mark = null;
            LOG.warn("recording position {} in {} failed: {}", p.after(), dir.stateDir(), e.toString());
        }
        if (node != null && p.written()) {
            try {
                node.committed(p.after());
            } catch (RuntimeException e) {
                LOG.warn("telling the node about {} failed: {}", p.after(), e.toString());
            }
        }
        if (p.newSums() != null) {
            for (int i = 0; i < p.count(); i++) {
                if (p.newSums()[i] != 0) {
                    sums.set(p.pgnos()[i], p.newSums()[i]);
                }
            }
            sums.truncate(p.newSize());
        } else {
            sums.clear();
        }
    }

    @Override
    public void abandoned(Object token) {
        Pending p = (Pending) token;
        sums.clear();
        if (p.written()) {
            List<Path> files = new ArrayList<>(p.earlier());
            files.add(p.file());
            for (int i = files.size() - 1; i >= 0; i--) { // newest first: never leave a gap below a file
                Path f = files.get(i);
                try {
                    dir.delete(f);
                    synchronized (this) {
                        unsynced.remove(f);
                        flushedAhead.remove(f);
                    }
                } catch (IOException e) {
                    LOG.warn("could not delete {} after a failed commit; the next writer will apply it: {}", f, e.toString());
                }
            }
        }
    }

    @Override
    public void beforeCheckpoint() throws IOException {
        syncUnsynced();
    }

    /**
     * Fsyncs the log files published at NORMAL, then their directory: a checkpoint must not copy a commit into
     * the database before its file is durable. {@link #flushInBackground} writes their data out soon after each
     * commit, so these fsyncs find little to do: a checkpoint after 1,000 commits used to stall its committer
     * for a thousand real fsyncs.
     */
    private void syncUnsynced() throws IOException {
        List<Path> todo;
        synchronized (this) {
            if (unsynced.isEmpty()) {
                return;
            }
            todo = new ArrayList<>(unsynced);
        }
        for (Path p : todo) {
            try (StorageFile f = storage.open(p, true, false)) {
                f.sync();
            } catch (java.nio.file.NoSuchFileException gone) {
                // removed meanwhile (retention, a snapshot replacing it): nothing to make durable
            }
        }
        storage.syncDirectory(dir.ltxDir());
        synchronized (this) {
            todo.forEach(unsynced::remove); // not removeAll: with a list argument as large as the set it is O(n^2)
            todo.forEach(flushedAhead::remove);
        }
    }

    @Override
    public void closedClean(String markBefore, String markAfter) {
        if (markBefore != null && markBefore.equals(mark) && markAfter != null) {
            try {
                dir.writeMark(markAfter);
                if (syncLevel != SyncLevel.OFF) {
                    dir.markCleanStop(); // the final checkpoint flushed the database (REPLICATION.md 5.3)
                }
            } catch (IOException e) {
                LOG.debug("could not record the mark after the final checkpoint: {}", e.toString());
            }
        }
    }

    /** Closes the position files this connection keeps open; after the pager is closed. */
    public void close() {
        try {
            dir.close();
        } catch (IOException e) {
            LOG.debug("closing the position files of {}: {}", dir.stateDir(), e.toString());
        }
    }

    // ---- applying files ----

    /**
     * Makes the next commit record {@code file} (already verified against the transaction by
     * {@link LtxApply}) as the log's next file instead of encoding the transaction: copied from
     * {@code source}, or moved with {@code move} (a rename on one file system).
     */
    void plan(Path source, LtxHeader h, LtxPosition after, boolean move) throws IOException {
        planned = new Pending(publishInto(source, h, move), after, h.isSnapshot(), true);
    }

    /**
     * As {@link #plan} for several consecutive LTX files applied in one transaction ({@link LtxApply#applyAll}):
     * each joins the log as its own file, in order, and {@code pos} moves to the last one's position. Should the
     * process die before the commit, the next writer rolls the published files forward one by one.
     */
    void planAll(List<Path> sources, List<LtxHeader> headers, LtxPosition after, boolean move) throws IOException {
        List<Path> earlier = new ArrayList<>();
        Path last = null;
        for (int i = 0; i < sources.size(); i++) {
            if (last != null) {
                earlier.add(last);
            }
            last = publishInto(sources.get(i), headers.get(i), move);
        }
        planned = new Pending(last, after, false, true, null, null, 0, -1, List.copyOf(earlier));
    }

    private Path publishInto(Path source, LtxHeader h, boolean move) throws IOException {
        Path file = dir.file(h.minTxid(), h.maxTxid());
        if (!source.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
            Path tmp = dir.tempFor(file);
            if (move) {
                java.nio.file.Files.move(source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                java.nio.file.Files.copy(source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            publish(tmp, file);
        }
        return file;
    }

    void unplan() {
        planned = null;
    }

    // ---- compaction ----

    /**
     * Replaces the log files covering exactly TXIDs {@code min..max} (all at or below the position) with one
     * file {@code <min>-<max>.ltx} holding the latest version of each page. Files at or below the position never
     * change, so this needs no lock; a reader holding one of the old files keeps reading it.
     *
     * @return the new file
     */
    public Path compact(long min, long max) throws IOException {
        if (Long.compareUnsigned(min, max) >= 0 || min == 0) {
            throw new IllegalArgumentException("compaction needs 1 <= min < max, got " + min + ".." + max);
        }
        if (Long.compareUnsigned(max, position().txid()) > 0) {
            throw new IllegalArgumentException("TXID " + Long.toUnsignedString(max) + " is above the position "
                    + position() + ": only committed files can be compacted");
        }
        List<Path> parts = new ArrayList<>();
        long next = min;
        for (LtxFileName.TxidRange r : dir.files().values()) {
            if (Long.compareUnsigned(r.minTxid(), min) < 0 || Long.compareUnsigned(r.maxTxid(), max) > 0) {
                continue;
            }
            if (r.minTxid() != next) {
                throw new IllegalArgumentException("the log has no file starting at TXID " + Long.toUnsignedString(next)
                        + " (retention or an earlier compaction removed it)");
            }
            parts.add(dir.file(r.minTxid(), r.maxTxid()));
            next = r.maxTxid() + 1;
        }
        if (next != max + 1) {
            throw new IllegalArgumentException("the log's files do not cover TXIDs " + Long.toUnsignedString(min) + ".."
                    + Long.toUnsignedString(max));
        }
        Path file = dir.file(min, max);
        Path tmp = dir.tempFor(file);
        try (StorageFile f = storage.open(tmp, false, true)) {
            f.truncate(0);
            StorageOutputStream out = new StorageOutputStream(f);
            io.snkv.ltx.LtxCompactor.compactFiles(parts, out);
            out.flush();
            if (syncLevel == SyncLevel.FULL) {
                f.sync();
            }
        } catch (IOException | RuntimeException e) {
            dir.delete(tmp);
            throw e;
        }
        publish(tmp, file);
        for (Path p : parts) {
            if (!p.equals(file)) {
                dir.delete(p);
                synchronized (this) {
                    unsynced.remove(p);
                    flushedAhead.remove(p);
                }
            }
        }
        return file;
    }

    // ---- files ----

    private LtxHeader header(int pageSize, long commit, long minTxid, long maxTxid, long pre) {
        return new LtxHeader(0, pageSize, commit, minTxid, maxTxid, clock.millis(), pre, 0, 0, 0, 0, nodeId);
    }

    interface PageWriting {
        void writePages(LtxEncoder enc) throws IOException;
    }

    /** Encodes to a temporary file, then renames it into place; fsyncs as the sync level says (package documentation). */
    private void encode(Path file, LtxHeader h, long post, PageWriting pages) throws IOException {
        Path tmp = dir.tempFor(file);
        try (StorageFile f = storage.open(tmp, false, true)) {
            f.truncate(0);
            StorageOutputStream out = new StorageOutputStream(f);
            LtxEncoder enc = new LtxEncoder(out, h);
            pages.writePages(enc);
            enc.finish(post);
            out.flush();
            if (syncLevel == SyncLevel.FULL) {
                f.sync();
            }
        } catch (IOException | RuntimeException e) {
            try {
                dir.delete(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        publish(tmp, file);
    }

    private void publish(Path tmp, Path file) throws IOException {
        if (syncLevel == SyncLevel.FULL) {
            try (StorageFile f = storage.open(tmp, true, false)) {
                f.sync();
            }
        }
        storage.rename(tmp, file);
        if (syncLevel == SyncLevel.FULL) {
            storage.syncDirectory(dir.ltxDir());
        } else if (syncLevel == SyncLevel.NORMAL) {
            boolean schedule;
            synchronized (this) {
                unsynced.add(file);
                schedule = !flushScheduled;
                flushScheduled = true;
            }
            if (schedule) {
                LogFlusher.schedule(this::flushInBackground);
            }
        }
    }

    /**
     * Writes the unsynced files' data to disk ahead of the checkpoint, straight through the file system: the
     * checkpoint still fsyncs each of them through the store's storage (then cheaply, nothing being dirty), so
     * what it guarantees, and what a fault-injecting storage sees, does not depend on this thread's timing.
     */
    private void flushInBackground() {
        List<Path> todo = new ArrayList<>();
        synchronized (this) {
            flushScheduled = false;
            for (Path p : unsynced) {
                if (flushedAhead.add(p)) {
                    todo.add(p); // each file once: the set holds every file since the last checkpoint
                }
            }
        }
        for (Path p : todo) {
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ)) {
                c.force(false);
            } catch (IOException | RuntimeException e) {
                // deleted meanwhile, or failing: the checkpoint's own fsync decides
            }
        }
    }

    private void removeAllExcept(Path keep) throws IOException {
        for (LtxFileName.TxidRange r : dir.allFiles()) {
            Path p = dir.file(r.minTxid(), r.maxTxid());
            if (!p.equals(keep)) {
                dir.delete(p);
                synchronized (this) {
                    unsynced.remove(p);
                    flushedAhead.remove(p);
                }
            }
        }
    }

    /** Deletes the files wholly before {@code txid} (a snapshot at {@code txid} replaces them). */
    private void removeBefore(long txid) throws IOException {
        for (LtxFileName.TxidRange r : dir.allFiles()) {
            if (Long.compareUnsigned(r.maxTxid(), txid) < 0) {
                Path p = dir.file(r.minTxid(), r.maxTxid());
                dir.delete(p);
                synchronized (this) {
                    unsynced.remove(p);
                    flushedAhead.remove(p);
                }
            }
        }
    }

    private synchronized void setPosition(LtxPosition p, String m) {
        pos = p;
        mark = m;
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }
}
