package io.snkv.internal.btree;

import io.snkv.CheckpointMode;
import io.snkv.CheckpointResult;
import io.snkv.JournalMode;
import io.snkv.SyncLevel;
import io.snkv.internal.io.Storage;
import io.snkv.internal.pager.Pager;
import io.snkv.LtxPosition;
import io.snkv.internal.capture.ChangeLog;
import io.snkv.internal.capture.ImageExport;
import io.snkv.internal.capture.ImageImport;
import io.snkv.internal.capture.LogRetention;
import io.snkv.internal.capture.LtxApply;
import io.snkv.internal.capture.SnapshotRestore;
import io.snkv.internal.capture.SnapshotWriter;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * An open SNKV database as the API layer sees it: read views and write views over its pages, with the
 * SNKV layout created or finished on open, and the pager's maintenance calls. The only way from
 * {@code io.snkv} to the pager. Thread-safe as the pager is.
 */
public final class Database implements AutoCloseable {
    private final Pager pager;
    private final int defaultRoot;
    private final boolean autoVacuum;

    private final ChangeLog log;
    private final LogRetention retention;
    private final Settings settings;

    /**
     * How to open: the store's settings, as the pager takes them, and change capture
     * ({@code captureDataDir} null: off).
     */
    public record Settings(Storage storage, JournalMode journalMode, SyncLevel syncLevel, int cacheSize, int newPageSize,
                           boolean readOnly, long busyTimeoutMs, int autoCheckpointCommits, Path captureDataDir,
                           Duration captureRetention, Duration captureRetentionInterval, long nodeId, Clock clock,
                           io.snkv.spi.NodeAttachment node) {
    }

    private Database(Pager pager, int defaultRoot, boolean autoVacuum, ChangeLog log, LogRetention retention,
                     Settings settings) {
        this.pager = pager;
        this.defaultRoot = defaultRoot;
        this.autoVacuum = autoVacuum;
        this.log = log;
        this.retention = retention;
        this.settings = settings;
    }

    /**
     * Opens (creating when missing and writable) and checks the SNKV layout. A new file gets SNKV's
     * first pages; a file the C library had not finished creating (default family root 0) is finished.
     * Read-only, such a file reads as an empty store (default root 0).
     */
    public static Database open(Path path, Settings s) {
        ChangeLog log = newLog(path, s);
        Pager pager = newPager(path, s, log);
        LogRetention retention = null;
        try {
            if (pager.pageCount() == 0 && !s.readOnly()) {
                try (WriteView w = new WriteView(pager.beginWrite())) {
                    SnkvLayout.initialize(w, pager.journalMode() == JournalMode.WAL);
                    w.commit();
                }
            }
            int root = 0;
            boolean av = false;
            if (pager.pageCount() > 0) {
                try (ReadView r = new ReadView(pager.beginRead())) {
                    root = SnkvLayout.defaultRoot(r);
                    av = SnkvLayout.autoVacuum(r);
                }
                if (root == 0 && !s.readOnly()) {
                    try (WriteView w = new WriteView(pager.beginWrite())) {
                        root = SnkvLayout.initializeDefaultFamily(w);
                        w.commit();
                    }
                }
                if (root != 0) {
                    try (ReadView r = new ReadView(pager.beginRead())) {
                        SnkvLayout.validate(r);
                    }
                }
            }
            if (log != null) {
                synchroniseLog(pager);
                retention = LogRetention.start(log, s.captureRetention(), s.captureRetentionInterval(), s.clock());
            }
            return new Database(pager, root, av, log, retention, s);
        } catch (RuntimeException e) {
            try {
                pager.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (log != null) {
                log.close();
            }
            throw e;
        }
    }

    private static ChangeLog newLog(Path path, Settings s) {
        return s.captureDataDir() == null || s.readOnly() ? null
                : new ChangeLog(s.storage(), s.captureDataDir(), path.getFileName().toString(), s.syncLevel(), s.nodeId(),
                        s.clock(), s.node());
    }

    private static Pager newPager(Path path, Settings s, ChangeLog log) {
        try {
            return Pager.open(s.storage(), path, new Pager.Options(s.journalMode(), s.syncLevel(), s.cacheSize(),
                    s.newPageSize(), s.readOnly(), s.busyTimeoutMs(), s.autoCheckpointCommits(), log));
        } catch (RuntimeException e) {
            if (log != null) {
                log.close();
            }
            throw e;
        }
    }

    /**
     * Brings the change log and the database into agreement at open (finishing a commit a dead writer
     * left): a write transaction begun and rolled back does it. Skipped when another connection is
     * writing; the next write transaction does it then.
     */
    private static void synchroniseLog(Pager pager) {
        try {
            pager.beginWrite(0).rollback();
        } catch (io.snkv.BusyException e) {
            // someone else holds the write lock; their commit, or our next one, synchronises
        } catch (io.snkv.ReadOnlyException e) {
            // a replica's store: its node keeps the log and the database in step
        }
    }

    /** Root page of the default family; 0 for a read-only file with none yet (an empty store). */
    public int defaultRoot() {
        return defaultRoot;
    }

    public boolean autoVacuum() {
        return autoVacuum;
    }

    /** The journal mode in force. */
    public JournalMode journalMode() {
        return pager.journalMode();
    }

    /** A read transaction on the latest committed state; close it. */
    public ReadView beginRead() {
        return new ReadView(pager.beginRead());
    }

    /** The write transaction (waits for the one in progress, in this process or, up to the busy timeout, elsewhere). */
    public WriteView beginWrite() {
        return new WriteView(pager.beginWrite());
    }

    /**
     * SQLite's {@code PRAGMA incremental_vacuum(pages)} inside {@code w}: reclaims up to {@code pages} free
     * pages (0 = all) by moving pages from the end of the file into free pages; returns how many pages the
     * database shrank by. The file itself shrinks when {@code w} commits (WAL mode: at the next checkpoint).
     */
    public int incrementalVacuum(WriteView w, int pages) {
        return IncrementalVacuum.run(w, pages);
    }

    public CheckpointResult checkpoint(CheckpointMode mode) {
        return pager.checkpoint(mode);
    }

    public void sync() {
        pager.sync();
    }

    /** The change log's position, when this connection captures changes. */
    public Optional<LtxPosition> capturePosition() {
        return log == null ? Optional.empty() : Optional.of(log.position());
    }

    /** The directory of captured LTX files, when this connection captures changes. */
    public Optional<Path> captureDirectory() {
        return log == null ? Optional.empty() : Optional.of(log.ltxDirectory());
    }

    /** Applies an LTX file as one write transaction (see {@link LtxApply}). */
    public java.util.List<LtxPosition> applyLtxAll(java.util.List<Path> files, boolean moveIntoLog) {
        return LtxApply.applyAll(pager, log, files, moveIntoLog);
    }

    public LtxPosition applyLtx(Path file, boolean moveIntoLog) {
        return LtxApply.apply(pager, log, file, moveIntoLog);
    }

    /** Writes a snapshot LTX file of the committed state (see {@link SnapshotWriter}). */
    public LtxPosition writeSnapshot(OutputStream out) {
        return SnapshotWriter.write(pager, log, settings.nodeId(), settings.clock(), out);
    }

    /** A raw image of the committed state and its position (see {@link ImageExport}); close it. */
    public ImageExport openImage() {
        return ImageExport.open(pager, log);
    }

    /**
     * Replaces the database with a raw image as one write transaction (see {@link ImageImport}), after checking
     * the image's header, length and pages (the integrity check).
     */
    public LtxPosition importImage(Path image) {
        ImageImport.Image checked = checkImage(settings.storage(), image);
        return ImageImport.commit(pager, log, settings.storage(), checked);
    }

    /**
     * Creates the database at {@code path} from a raw image, as its first transaction: the connection that does
     * it does not lay out a new file first, so with capture the log starts with a snapshot holding the image. A
     * file another connection created meanwhile is replaced as {@link #importImage} replaces one.
     */
    public static LtxPosition createFromImage(Path path, Settings s, Path image) {
        ImageImport.Image checked = checkImage(s.storage(), image);
        Settings sized = new Settings(s.storage(), s.journalMode(), s.syncLevel(), s.cacheSize(), checked.pageSize(),
                s.readOnly(), s.busyTimeoutMs(), s.autoCheckpointCommits(), s.captureDataDir(), s.captureRetention(),
                s.captureRetentionInterval(), s.nodeId(), s.clock(), s.node());
        ChangeLog log = newLog(path, sized);
        Pager pager = newPager(path, sized, log);
        try {
            return ImageImport.commit(pager, log, s.storage(), checked);
        } finally {
            try {
                pager.close();
            } finally {
                if (log != null) {
                    log.close();
                }
            }
        }
    }

    private static ImageImport.Image checkImage(io.snkv.internal.io.Storage storage, Path image) {
        ImageImport.Image checked = ImageImport.inspect(storage, image);
        ImagePages.check(storage, checked);
        return checked;
    }

    /** The LTX database checksum of the committed state, every page read. */
    public long checksum() {
        return SnapshotWriter.checksum(pager);
    }

    /** Creates a database file from a snapshot LTX file (see {@link SnapshotRestore}). */
    public static LtxPosition restoreSnapshot(Path snapshot, Path database) {
        return SnapshotRestore.restore(io.snkv.internal.io.FileStorage.INSTANCE, snapshot, database);
    }

    /** Compacts the captured files of TXIDs {@code min..max} into one (see {@link ChangeLog#compact}). */
    public Path compactLog(long min, long max) {
        if (log == null) {
            throw new io.snkv.KVException(io.snkv.ErrorCode.MISUSE, "change capture is off for this store");
        }
        try {
            return log.compact(min, max);
        } catch (IllegalArgumentException e) {
            throw new io.snkv.KVException(io.snkv.ErrorCode.MISUSE, e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new io.snkv.KVException(io.snkv.ErrorCode.IOERR, "compacting the change log failed: " + e.getMessage(), e);
        }
    }

    /** Deletes captured files older than the retention now; the number deleted. */
    public int enforceRetention() {
        if (retention == null) {
            return 0;
        }
        try {
            return retention.sweep();
        } catch (java.io.IOException e) {
            throw new io.snkv.KVException(io.snkv.ErrorCode.IOERR, "retention sweep failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (retention != null) {
            retention.close();
        }
        try {
            pager.close();
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }
}
