package io.snkv.internal.pager;

import io.snkv.BusyException;
import io.snkv.CheckpointMode;
import io.snkv.CheckpointResult;
import io.snkv.CorruptDatabaseException;
import io.snkv.ErrorCode;
import io.snkv.JournalMode;
import io.snkv.KVException;
import io.snkv.SyncLevel;
import io.snkv.internal.io.ByteRangeLocks;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Owns a database file and its WAL or journal. See the package documentation for the protocol.
 * Thread-safe: any number of {@link Snapshot}s at once, one {@link WriteTxn} at a time.
 */
public final class Pager implements AutoCloseable {
    /** How the pager is opened. */
    public record Options(JournalMode journalMode, SyncLevel syncLevel, int cacheSize, int newPageSize,
                          boolean readOnly, long busyTimeoutMs, int autoCheckpointCommits) {
    }

    private final Storage storage;
    private final Path path;
    private final Path walPath;
    private final Path journalPath;
    private final Options opts;
    private final StorageFile db;
    private final int pageSize;
    private final int usableSize;
    private final PageCache cache;
    private final ReentrantLock writer = new ReentrantLock(true);
    private final RollbackLock rollbackLock = new RollbackLock();
    /** This connection's POSIX locks on the database file (shared with other processes, SQLite's bytes). */
    private final ByteRangeLocks dbLocks;
    private final DatabaseFileLock fileLock;
    /** In-process users of the SHARED file lock (readers and the writer), rollback-journal mode. Guarded by this. */
    private int sharedUsers;
    private boolean writerHoldsShared;
    /** The change counter (header offset 24) as of our last look: another connection's commit changes it. */
    private int knownCounter = Integer.MIN_VALUE;
    private JournalMode mode;

    // Guarded by this.
    private int dbSize;
    private WalFile wal;
    private WalIndex index;
    private int generation;
    private int backfilled;
    private final List<Snapshot> readers = new ArrayList<>();
    private final IntIntMap commitSizes = new IntIntMap(64);
    private int commitsSinceCheckpoint;
    private boolean closed;
    private boolean broken;

    private Pager(Storage storage, Path path, Options opts, StorageFile db, int pageSize, int usableSize,
                  ByteRangeLocks dbLocks, Object lockOwner) {
        this.dbLocks = dbLocks;
        this.fileLock = new DatabaseFileLock(dbLocks, lockOwner, path);
        this.storage = storage;
        this.path = path;
        this.walPath = path.resolveSibling(path.getFileName() + "-wal");
        this.journalPath = RollbackJournal.pathFor(path);
        this.opts = opts;
        this.db = db;
        this.pageSize = pageSize;
        this.usableSize = usableSize;
        this.cache = new PageCache(opts.cacheSize());
    }

    /** Opens (or creates, when missing and writable) the database, recovering a hot journal or a WAL. */
    public static Pager open(Storage storage, Path path, Options opts) {
        StorageFile db = null;
        ByteRangeLocks locks = null;
        Object lockOwner;
        try {
            if (opts.readOnly() && !storage.exists(path)) {
                throw new KVException(ErrorCode.NOTFOUND, "no such database file: " + path);
            }
            db = storage.open(path, opts.readOnly(), !opts.readOnly());
            locks = ByteRangeLocks.forFile(path);
            lockOwner = new Object();
            rollBackHotJournal(storage, path, opts, db, locks, lockOwner);
            long fileSize = db.size();
            int pageSize;
            int usable;
            boolean walHeader;
            byte[] head = new byte[DatabaseHeader.SIZE];
            if (fileSize == 0) {
                pageSize = 0;
                usable = 0;
                walHeader = opts.journalMode() == JournalMode.WAL;
            } else {
                if (fileSize < DatabaseHeader.SIZE || db.read(0, head, 0, DatabaseHeader.SIZE) != DatabaseHeader.SIZE) {
                    throw new CorruptDatabaseException(path, 0, "file is " + fileSize + " bytes, shorter than the 100-byte header");
                }
                if (!DatabaseHeader.hasMagic(head)) {
                    throw new CorruptDatabaseException(path, 1, "not an SQLite-format database (bad magic)");
                }
                pageSize = DatabaseHeader.pageSize(head);
                if (pageSize < 0) {
                    throw new CorruptDatabaseException(path, 1, "bad page size in header");
                }
                int reserved = head[DatabaseHeader.OFF_RESERVED] & 0xff;
                usable = pageSize - reserved;
                if (usable < 480) {
                    throw new CorruptDatabaseException(path, 1, "reserved bytes per page leave too little room");
                }
                int wv = head[DatabaseHeader.OFF_WRITE_VERSION];
                int rv = head[DatabaseHeader.OFF_READ_VERSION];
                if (wv < 1 || wv > 2 || rv < 1 || rv > 2) {
                    throw new CorruptDatabaseException(path, 1, "unknown file format version " + wv + "/" + rv);
                }
                walHeader = wv == 2;
            }
            Pager p = openWithMode(storage, path, opts, db, pageSize, usable, walHeader, fileSize, head, locks, lockOwner);
            db = null;
            locks = null;
            return p;
        } catch (NoSuchFileException e) {
            throw new KVException(ErrorCode.NOTFOUND, "cannot open " + path + ": no such file or directory", e);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "cannot open " + path + ": " + e.getMessage(), e);
        } finally {
            if (db != null) {
                try {
                    if (locks != null) {
                        locks.closeWhenUnlocked(db::close);
                    } else {
                        db.close();
                    }
                } catch (IOException ignored) {
                    // already failing
                }
            }
            if (locks != null) {
                try {
                    locks.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    /**
     * Plays back a journal left by a connection that died mid-commit. A journal is hot only when no
     * live connection holds RESERVED (a writer's journal in progress is not), and the playback runs
     * under EXCLUSIVE so no reader sees it half done.
     */
    private static void rollBackHotJournal(Storage storage, Path path, Options opts, StorageFile db,
                                           ByteRangeLocks locks, Object owner) throws IOException {
        Path journal = RollbackJournal.pathFor(path);
        if (!RollbackJournal.isHot(storage, journal)) {
            return;
        }
        DatabaseFileLock fl = new DatabaseFileLock(locks, owner, path);
        try {
            fl.lockShared(opts.busyTimeoutMs());
            if (!RollbackJournal.isHot(storage, journal) || fl.reservedByOther()) {
                return;
            }
            if (opts.readOnly()) {
                throw new KVException(ErrorCode.READONLY, "hot journal " + journal
                        + " must be rolled back, which a read-only open cannot do");
            }
            fl.lockReserved(opts.busyTimeoutMs());
            fl.lockExclusive(opts.busyTimeoutMs());
            if (RollbackJournal.isHot(storage, journal)) {
                RollbackJournal.rollback(storage, journal, db, headerPageSize(db, path));
            }
        } finally {
            fl.unlock();
        }
    }

    private static int headerPageSize(StorageFile db, Path path) throws IOException {
        byte[] h = new byte[DatabaseHeader.SIZE];
        if (db.size() >= DatabaseHeader.SIZE && db.read(0, h, 0, DatabaseHeader.SIZE) == DatabaseHeader.SIZE
                && DatabaseHeader.hasMagic(h)) {
            return Math.max(DatabaseHeader.pageSize(h), 0);
        }
        return 0;
    }

    private static Pager openWithMode(Storage storage, Path path, Options opts, StorageFile db, int filePageSize,
                                      int fileUsable, boolean walHeader, long fileSize, byte[] head,
                                      ByteRangeLocks locks, Object lockOwner) throws IOException {
        Path walPath = path.resolveSibling(path.getFileName() + "-wal");
        WalIndex index = new WalIndex();
        WalFile.Recovered rec = null;
        StorageFile walHandle = null;
        boolean walExists = storage.exists(walPath);
        if (walExists && (walHeader || fileSize == 0)) {
            walHandle = storage.open(walPath, opts.readOnly(), false);
            rec = WalFile.recover(walHandle, filePageSize, index);
        }
        int pageSize = filePageSize;
        int usable = fileUsable;
        if (pageSize == 0) {
            pageSize = rec != null && rec.wal() != null && rec.wal().mxFrame() > 0 ? rec.wal().pageSizeOf() : opts.newPageSize();
            usable = pageSize;
        }
        Pager p = new Pager(storage, path, opts, db, pageSize, usable, locks, lockOwner);
        boolean ok = false;
        try {
            int recoveredSize = rec != null && rec.wal() != null && rec.wal().mxFrame() > 0 ? rec.dbSize() : 0;
            if (recoveredSize > 0) {
                p.wal = rec.wal();
                p.index = index;
                p.dbSize = recoveredSize;
                p.commitSizes.put(p.wal.mxFrame(), recoveredSize);
            } else {
                if (fileSize % pageSize != 0) {
                    throw new CorruptDatabaseException(path, 0, "file size " + fileSize
                            + " is not a whole number of " + pageSize + "-byte pages (truncated?)");
                }
                int fromHeader = fileSize >= DatabaseHeader.SIZE ? DatabaseHeader.validPageCount(head) : 0;
                long bySize = fileSize / pageSize;
                if (fromHeader > bySize) {
                    // SQLite refuses this too: pages the header counts are missing from the file.
                    throw new CorruptDatabaseException(path, 0, "header counts " + fromHeader + " pages but the file holds "
                            + bySize + " (truncated?)");
                }
                p.dbSize = fromHeader > 0 ? fromHeader : (int) Math.min(bySize, Integer.MAX_VALUE);
            }
            JournalMode wanted = opts.journalMode();
            if (opts.readOnly()) {
                // A read-only open cannot change the file's mode: it reads whatever the file is.
                p.mode = walHeader || recoveredSize > 0 ? JournalMode.WAL : JournalMode.DELETE;
                if (p.mode == JournalMode.WAL && p.wal == null && walHandle != null) {
                    p.wal = WalFile.fresh(walHandle, pageSize);
                    p.index = index;
                }
                if (p.wal != null) {
                    walHandle = null; // owned by the pager now
                }
            } else if (wanted == JournalMode.WAL) {
                p.mode = JournalMode.WAL;
                if (p.wal == null) {
                    if (walHandle == null) {
                        walHandle = storage.open(walPath, false, true);
                    }
                    p.wal = WalFile.fresh(walHandle, pageSize);
                    p.index = index;
                }
                walHandle = null;
                if (!walHeader && p.dbSize > 0) {
                    p.setFormatVersion(2);
                }
            } else {
                p.mode = JournalMode.DELETE;
                if (p.wal != null) {
                    // Leaving WAL mode: copy every frame back, then drop the log.
                    p.mode = JournalMode.WAL;
                    p.checkpointLocked(CheckpointMode.TRUNCATE);
                    p.wal.file().close();
                    p.wal = null;
                    p.index = null;
                    walHandle = null;
                    storage.delete(walPath);
                    p.mode = JournalMode.DELETE;
                } else if (walHandle != null) {
                    walHandle.close();
                    walHandle = null;
                    storage.delete(walPath);
                }
                if (walHeader && p.dbSize > 0) {
                    p.setFormatVersion(1);
                }
            }
            ok = true;
            return p;
        } finally {
            if (walHandle != null) {
                walHandle.close();
            }
            if (!ok) {
                p.closeFiles();
            }
        }
    }

    /** Rewrites header bytes 18 and 19 (1 = rollback journal, 2 = WAL) in a transaction of the current mode. */
    private void setFormatVersion(int v) {
        JournalMode target = mode;
        mode = JournalMode.DELETE; // the switch itself goes through the rollback journal, as SQLite does
        WriteTxn t = beginWrite();
        try {
            byte[] p1 = t.writable(1);
            p1[DatabaseHeader.OFF_WRITE_VERSION] = (byte) v;
            p1[DatabaseHeader.OFF_READ_VERSION] = (byte) v;
            t.commit();
        } finally {
            t.endIfOpen();
            mode = target;
        }
    }

    public Path path() {
        return path;
    }

    public int pageSize() {
        return pageSize;
    }

    public int usableSize() {
        return usableSize;
    }

    public JournalMode journalMode() {
        return mode;
    }

    /** Committed database size in pages. */
    public synchronized int pageCount() {
        return dbSize;
    }

    CorruptDatabaseException corrupt(int pgno, String what) {
        return new CorruptDatabaseException(path, pgno, what);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed: " + path);
        }
        if (broken) {
            throw new KVException(ErrorCode.IOERR, "an earlier I/O failure could not be undone; reopen the store: " + path);
        }
    }

    // ---- reading ----

    /** Starts a read transaction on the latest committed state. */
    public Snapshot beginRead() {
        if (mode == JournalMode.DELETE) {
            rollbackLock.lockShared();
            synchronized (this) {
                try {
                    checkOpen();
                    acquireSharedUse();
                } catch (RuntimeException e) {
                    rollbackLock.unlockShared();
                    throw e;
                }
                return new Snapshot(this, 0, 0, null, -1, true);
            }
        }
        synchronized (this) {
            checkOpen();
            int mx = wal == null ? 0 : wal.mxFrame();
            // Every frame copied back: the database file alone is the snapshot, and the log may restart.
            if (mx == backfilled) {
                mx = 0;
            }
            Snapshot s = new Snapshot(this, generation, mx, index, dbSize, false);
            readers.add(s);
            return s;
        }
    }

    /**
     * The writer's view of the latest commit: not registered as a reader (the writer lock already keeps
     * checkpoints and other writers away from it).
     */
    synchronized Snapshot writerSnapshot() {
        if (mode == JournalMode.DELETE) {
            return new Snapshot(this, 0, 0, null, -1, true, false);
        }
        return new Snapshot(this, generation, wal == null ? 0 : wal.mxFrame(), index, dbSize, false, false);
    }

    synchronized void endRead(Snapshot s) {
        if (s.live) {
            try {
                releaseSharedUse();
            } finally {
                rollbackLock.unlockShared();
            }
            return;
        }
        readers.remove(s);
        notifyAll();
    }

    /**
     * One more in-process user of the SHARED file lock (rollback-journal mode); the first takes it, and
     * then checks what other connections did meanwhile. Caller holds this.
     */
    private void acquireSharedUse() {
        if (sharedUsers == 0) {
            fileLock.lockShared(opts.busyTimeoutMs());
            try {
                revalidate();
            } catch (RuntimeException e) {
                fileLock.unlock();
                throw e;
            }
        }
        sharedUsers++;
    }

    /** Caller holds this. */
    private void releaseSharedUse() {
        if (--sharedUsers == 0) {
            fileLock.unlock();
        }
    }

    /**
     * Under a fresh SHARED lock: plays back a journal left by a dead writer, and drops cached pages if
     * another connection committed since our last look (its change counter moved). Caller holds this.
     */
    private void revalidate() {
        try {
            if (RollbackJournal.isHot(storage, journalPath) && !fileLock.reservedByOther()) {
                if (opts.readOnly()) {
                    throw new KVException(ErrorCode.READONLY, "hot journal " + journalPath
                            + " must be rolled back, which a read-only connection cannot do");
                }
                fileLock.lockReserved(opts.busyTimeoutMs());
                fileLock.lockExclusive(opts.busyTimeoutMs());
                try {
                    if (RollbackJournal.isHot(storage, journalPath)) {
                        RollbackJournal.rollback(storage, journalPath, db, pageSize);
                    }
                } finally {
                    fileLock.downgradeToShared();
                }
                knownCounter = Integer.MIN_VALUE;
            }
            byte[] head = new byte[DatabaseHeader.SIZE];
            long size = db.size();
            int counter = size >= DatabaseHeader.SIZE && db.read(0, head, 0, DatabaseHeader.SIZE) == DatabaseHeader.SIZE
                    ? DatabaseHeader.u32(head, DatabaseHeader.OFF_CHANGE_COUNTER) : 0;
            if (counter != knownCounter) {
                if (knownCounter != Integer.MIN_VALUE || size / pageSize != dbSize) {
                    cache.clear();
                }
                int fromHeader = size >= DatabaseHeader.SIZE ? DatabaseHeader.validPageCount(head) : 0;
                dbSize = fromHeader > 0 ? fromHeader : (int) (size / pageSize);
                knownCounter = counter;
            }
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "reading " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** A committed page as {@code s} sees it. */
    byte[] readPage(Snapshot s, int pgno) {
        int size = s.live ? pageCount() : s.dbSize;
        if (pgno < 1 || pgno > size) {
            throw corrupt(pgno, "page number out of range (database has " + size + " pages)");
        }
        try {
            if (s.mx > 0) {
                int f;
                synchronized (this) {
                    f = s.generation == generation ? s.index.find(pgno, s.mx) : 0;
                }
                if (f > 0) {
                    long tag = PageCache.frameTag(s.generation, f);
                    byte[] hit = cache.get(pgno, tag);
                    if (hit != null) {
                        return hit;
                    }
                    byte[] d = new byte[pageSize];
                    WalFile w;
                    synchronized (this) {
                        w = wal;
                    }
                    w.readFrame(f, d, walPath);
                    cache.put(pgno, tag, d);
                    return d;
                }
            }
            byte[] hit = cache.get(pgno, PageCache.DB_FILE);
            if (hit != null) {
                return hit;
            }
            byte[] d = new byte[pageSize];
            // Past the end of the file a page reads as zeros, as in SQLite.
            db.read((long) (pgno - 1) * pageSize, d, 0, pageSize);
            cache.put(pgno, PageCache.DB_FILE, d);
            return d;
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "read of page " + pgno + " of " + path + " failed: " + e.getMessage(), e);
        }
    }

    // ---- writing ----

    /** Starts the write transaction, waiting for another one in this process to finish. */
    public WriteTxn beginWrite() {
        synchronized (this) {
            checkOpen();
            if (opts.readOnly()) {
                throw new io.snkv.ReadOnlyException("store is open read-only: " + path);
            }
        }
        writer.lock();
        try {
            synchronized (this) {
                checkOpen();
                if (mode == JournalMode.DELETE) {
                    acquireSharedUse();
                    try {
                        fileLock.lockReserved(opts.busyTimeoutMs());
                    } catch (RuntimeException e) {
                        releaseSharedUse();
                        throw e;
                    }
                    writerHoldsShared = true;
                }
                maybeRestartLog();
                return new WriteTxn(this, dbSize);
            }
        } catch (RuntimeException e) {
            writer.unlock();
            throw e;
        }
    }

    /** Restarts a fully copied-back log once no reader uses it. Caller holds the writer lock and this. */
    private void maybeRestartLog() {
        if (mode != JournalMode.WAL || wal == null || wal.mxFrame() == 0 || backfilled != wal.mxFrame()) {
            return;
        }
        for (Snapshot s : readers) {
            if (s.generation == generation && s.mx > 0) {
                return;
            }
        }
        wal.restart();
        index = new WalIndex();
        commitSizes.clear();
        generation++;
        backfilled = 0;
    }

    void endWrite() {
        try {
            synchronized (this) {
                if (writerHoldsShared) {
                    writerHoldsShared = false;
                    fileLock.downgradeToShared();
                    releaseSharedUse();
                } else if (sharedUsers == 0 && fileLock.level() != DatabaseFileLock.Level.NONE) {
                    fileLock.unlock();
                }
            }
        } finally {
            writer.unlock();
        }
    }

    /** Commits {@code t}'s pages. Caller holds the writer lock. */
    void commit(WriteTxn t) {
        if (t.dirty.isEmpty()) {
            return;
        }
        int newSize = t.dbSize;
        // Page 1 carries the change counter and the page count: SQLite rewrites them with every
        // rollback-journal commit, and in WAL mode whenever page 1 changes or the file grows or shrinks.
        if (mode == JournalMode.DELETE || t.dirty.containsKey(1) || newSize != t.startSize) {
            byte[] p1 = t.writable(1);
            int counter = DatabaseHeader.u32(p1, DatabaseHeader.OFF_CHANGE_COUNTER) + 1;
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_CHANGE_COUNTER, counter);
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_VERSION_VALID_FOR, counter);
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_PAGE_COUNT, newSize);
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_SQLITE_VERSION, DatabaseHeader.SQLITE_VERSION_NUMBER);
        }
        int[] pgnos = new int[t.dirty.size()];
        int k = 0;
        for (int pg : t.dirty.keys()) {
            if (pg <= newSize) {
                pgnos[k++] = pg;
            }
        }
        Arrays.sort(pgnos, 0, k);
        byte[][] pages = new byte[k][];
        for (int i = 0; i < k; i++) {
            pages[i] = t.dirty.get(pgnos[i]);
        }
        if (mode == JournalMode.WAL && t.startSize > 0) {
            commitWal(pgnos, pages, k, newSize);
        } else {
            // A new file's first pages go straight into the database file, as SQLite writes them: a C
            // process finding an empty database file deletes its WAL as stale.
            commitRollback(t, pgnos, pages, k, newSize);
        }
    }

    private void commitWal(int[] pgnos, byte[][] pages, int n, int newSize) {
        WalFile w;
        synchronized (this) {
            w = wal;
        }
        int prevMx = w.mxFrame();
        int c0 = w.checksum0();
        int c1 = w.checksum1();
        int first;
        try {
            first = w.appendTransaction(pgnos, pages, n, newSize, opts.syncLevel() == SyncLevel.FULL,
                    opts.syncLevel() != SyncLevel.OFF);
        } catch (IOException e) {
            if (w.undoAppend(prevMx, c0, c1)) {
                throw new KVException(ErrorCode.IOERR, "commit to " + walPath + " failed and was undone: " + e.getMessage(), e);
            }
            // The frames may be whole on disk and would count at the next open: refuse to go on with
            // a view that may disagree with the file.
            synchronized (this) {
                broken = true;
            }
            throw new KVException(ErrorCode.IOERR, "commit to " + walPath + " failed and could not be undone (it may "
                    + "appear after reopening): " + e.getMessage(), e);
        }
        boolean checkpointDue;
        synchronized (this) {
            for (int i = 0; i < n; i++) {
                index.append(first + i, pgnos[i]);
                cache.put(pgnos[i], PageCache.frameTag(generation, first + i), pages[i]);
            }
            commitSizes.put(first + n - 1, newSize);
            dbSize = newSize;
            commitsSinceCheckpoint++;
            checkpointDue = opts.autoCheckpointCommits() > 0 && commitsSinceCheckpoint >= opts.autoCheckpointCommits();
        }
        if (checkpointDue) {
            try {
                checkpointLocked(CheckpointMode.PASSIVE);
            } catch (KVException e) {
                // The commit stands; the frames stay in the log for the next checkpoint.
            }
        }
    }

    private void commitRollback(WriteTxn t, int[] pgnos, byte[][] pages, int n, int newSize) {
        long wait = opts.busyTimeoutMs() > 0 ? opts.busyTimeoutMs() : 5000;
        if (!rollbackLock.lockExclusive(wait)) {
            throw new BusyException("database is locked: readers of " + path + " did not finish within " + wait + " ms");
        }
        try {
            synchronized (this) {
                fileLock.lockExclusive(opts.busyTimeoutMs());
            }
            int oldSize;
            synchronized (this) {
                oldSize = dbSize;
            }
            int[] origPg = new int[n];
            byte[][] orig = new byte[n][];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (pgnos[i] <= oldSize) {
                    origPg[m] = pgnos[i];
                    orig[m++] = t.base(pgnos[i]);
                }
            }
            boolean sync = opts.syncLevel() != SyncLevel.OFF;
            boolean journalStarted = false;
            try {
                journalStarted = true;
                RollbackJournal.write(storage, journalPath, pageSize, oldSize, origPg, orig, m, sync,
                        opts.syncLevel() == SyncLevel.FULL);
                for (int i = 0; i < n; i++) {
                    db.write((long) (pgnos[i] - 1) * pageSize, pages[i], 0, pageSize);
                }
                if (newSize < oldSize) {
                    db.truncate((long) newSize * pageSize);
                }
                if (sync) {
                    db.sync();
                }
                // Deleting the journal commits. SQLite syncs the directory after it only at EXTRA, a
                // level SNKV does not have; a failure past this point would leave a committed change
                // reported as failed.
                storage.delete(journalPath);
            } catch (IOException e) {
                cache.clear();
                if (journalStarted) {
                    undoRollbackCommit(e);
                }
                boolean undone;
                synchronized (this) {
                    undone = !broken;
                }
                throw new KVException(ErrorCode.IOERR, "commit to " + path + (undone ? " failed and was undone: "
                        : " failed and could not be undone (reopen the store): ") + e.getMessage(), e);
            }
            synchronized (this) {
                knownCounter = DatabaseHeader.u32(t.page(1), DatabaseHeader.OFF_CHANGE_COUNTER);
                for (int i = 0; i < n; i++) {
                    cache.put(pgnos[i], PageCache.DB_FILE, pages[i]);
                }
                for (int pg = newSize + 1; pg <= oldSize; pg++) {
                    cache.invalidateFileCopy(pg);
                }
                dbSize = newSize;
            }
        } finally {
            synchronized (this) {
                if (fileLock.level() == DatabaseFileLock.Level.EXCLUSIVE) {
                    fileLock.downgradeToShared();
                    if (!writerHoldsShared && sharedUsers == 0) {
                        fileLock.unlock();
                    }
                }
            }
            rollbackLock.unlockExclusive();
        }
    }

    /** Puts the database back from the journal after a failed commit. */
    private void undoRollbackCommit(IOException cause) {
        try {
            if (storage.exists(journalPath)) {
                if (RollbackJournal.isHot(storage, journalPath)) {
                    RollbackJournal.rollback(storage, journalPath, db, pageSize);
                } else {
                    storage.delete(journalPath);
                }
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
            synchronized (this) {
                broken = true;
            }
        }
    }

    // ---- checkpoint ----

    /** Runs a checkpoint in WAL mode; in rollback mode there is nothing to copy. */
    public CheckpointResult checkpoint(CheckpointMode mode) {
        synchronized (this) {
            checkOpen();
            if (this.mode != JournalMode.WAL || wal == null || opts.readOnly()) {
                return new CheckpointResult(0, 0);
            }
        }
        if (mode == CheckpointMode.PASSIVE) {
            if (!writer.tryLock()) {
                synchronized (this) {
                    return new CheckpointResult(wal.mxFrame(), backfilled);
                }
            }
        } else {
            if (writer.isHeldByCurrentThread()) {
                throw new KVException(ErrorCode.LOCKED, "cannot checkpoint inside a write transaction");
            }
            boolean got;
            try {
                got = writer.tryLock(Math.max(opts.busyTimeoutMs(), 0), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                got = false;
            }
            if (!got) {
                throw new BusyException("checkpoint of " + path + ": a write transaction is running");
            }
        }
        try {
            return checkpointLocked(mode);
        } finally {
            writer.unlock();
        }
    }

    /** Caller holds the writer lock (or is opening/closing alone). */
    private CheckpointResult checkpointLocked(CheckpointMode mode) {
        WalFile w;
        int mx;
        int limit;
        synchronized (this) {
            w = wal;
            mx = w.mxFrame();
            limit = backfillLimit(mx);
            if (mode != CheckpointMode.PASSIVE && limit < mx) {
                long deadline = System.nanoTime() + opts.busyTimeoutMs() * 1_000_000L;
                while ((limit = backfillLimit(mx)) < mx) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    waitQuietly(left);
                }
            }
        }
        try {
            backfill(w, limit);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "checkpoint of " + path + " failed: " + e.getMessage(), e);
        }
        int done;
        synchronized (this) {
            done = backfilled;
            commitsSinceCheckpoint = 0;
            if ((mode == CheckpointMode.RESTART || mode == CheckpointMode.TRUNCATE) && done == mx && mx > 0) {
                long deadline = System.nanoTime() + opts.busyTimeoutMs() * 1_000_000L;
                while (logInUse()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return new CheckpointResult(mx, done);
                    }
                    waitQuietly(left);
                }
                wal.restart();
                index = new WalIndex();
                commitSizes.clear();
                generation++;
                backfilled = 0;
                if (mode == CheckpointMode.TRUNCATE) {
                    try {
                        wal.truncate(0);
                    } catch (IOException e) {
                        throw new KVException(ErrorCode.IOERR, "truncating " + walPath + " failed: " + e.getMessage(), e);
                    }
                }
            } else if (mode == CheckpointMode.TRUNCATE && mx == 0 && !logInUse()) {
                try {
                    wal.truncate(0);
                    wal.restart();
                } catch (IOException e) {
                    throw new KVException(ErrorCode.IOERR, "truncating " + walPath + " failed: " + e.getMessage(), e);
                }
            }
        }
        return new CheckpointResult(mx, done);
    }

    private void waitQuietly(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a reader of the current log generation reads frames. Caller holds this. */
    private boolean logInUse() {
        for (Snapshot s : readers) {
            if (s.generation == generation && s.mx > 0) {
                return true;
            }
        }
        return false;
    }

    /** The last frame every running reader allows to be copied back. Caller holds this. */
    private int backfillLimit(int mx) {
        int limit = mx;
        for (Snapshot s : readers) {
            if (s.generation != generation) {
                return Math.min(limit, backfilled); // a reader of an older log reads the file alone
            }
            if (s.mx == 0) {
                continue; // reads the file, which already holds everything up to 'backfilled'
            }
            limit = Math.min(limit, s.mx);
        }
        return limit;
    }

    private void backfill(WalFile w, int limit) throws IOException {
        int from;
        WalIndex idx;
        int size;
        synchronized (this) {
            from = backfilled;
            idx = index;
            size = commitSizes.get(limit);
        }
        if (limit <= from) {
            return;
        }
        if (size == 0) {
            size = pageCount();
        }
        if (opts.syncLevel() != SyncLevel.OFF) {
            w.sync();
        }
        IntIntMap newest = new IntIntMap(limit - from);
        for (int f = from + 1; f <= limit; f++) {
            int pg = idx.pageOf(f);
            newest.put(pg, f);
        }
        int[] pgs = new int[limit - from];
        int n = 0;
        for (int f = from + 1; f <= limit; f++) {
            int pg = idx.pageOf(f);
            if (newest.get(pg) == f && pg <= size) {
                pgs[n++] = pg;
            }
        }
        Arrays.sort(pgs, 0, n);
        byte[] buf = new byte[pageSize];
        for (int i = 0; i < n; i++) {
            int pg = pgs[i];
            w.readFrame(newest.get(pg), buf, walPath);
            db.write((long) (pg - 1) * pageSize, buf, 0, pageSize);
            cache.invalidateFileCopy(pg);
        }
        long want = (long) size * pageSize;
        if (db.size() > want) {
            db.truncate(want);
        }
        if (opts.syncLevel() != SyncLevel.OFF) {
            db.sync();
        }
        synchronized (this) {
            backfilled = limit;
        }
    }

    /** fsync of the database and its log, whatever the sync level. */
    public void sync() {
        synchronized (this) {
            checkOpen();
        }
        try {
            if (!opts.readOnly()) {
                db.sync();
                WalFile w;
                synchronized (this) {
                    w = wal;
                }
                if (w != null) {
                    w.sync();
                }
            }
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "sync of " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** Checkpoints everything and deletes the WAL (WAL mode), then closes the files. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        writer.lock();
        try {
            KVException failure = null;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            if (mode == JournalMode.WAL && wal != null && !opts.readOnly() && !broken && lastConnection()) {
                try {
                    synchronized (this) {
                        readers.clear();
                    }
                    CheckpointResult r = checkpointLocked(CheckpointMode.TRUNCATE);
                    if (r.framesCheckpointed() == r.framesInLog()) {
                        wal.file().close();
                        storage.delete(walPath);
                    }
                } catch (KVException e) {
                    failure = e;
                } catch (IOException e) {
                    failure = new KVException(ErrorCode.IOERR, "closing " + walPath + " failed: " + e.getMessage(), e);
                }
            }
            closeFiles();
            cache.clear();
            if (failure != null) {
                throw failure;
            }
        } finally {
            writer.unlock();
        }
    }

    /**
     * Whether no other connection (in any process) has the database open, as SQLite decides it before
     * checkpointing and deleting the WAL at close: an EXCLUSIVE lock on the database file, taken at once.
     */
    private synchronized boolean lastConnection() {
        try {
            fileLock.lockShared(0);
            fileLock.lockReserved(0);
            fileLock.lockExclusive(0);
            return true;
        } catch (BusyException e) {
            return false;
        }
    }

    private void closeFiles() {
        try {
            fileLock.unlock();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        try {
            // Closing a descriptor drops every POSIX lock this process holds on the file, other
            // connections' too: the registry closes it once nobody here holds a lock.
            dbLocks.closeWhenUnlocked(db::close);
            dbLocks.close();
        } catch (IOException ignored) {
            // nothing more to do for a file being closed
        }
        if (wal != null) {
            try {
                wal.file().close();
            } catch (IOException ignored) {
                // likewise
            }
        }
    }
}
