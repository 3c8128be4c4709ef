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
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to a database file and its WAL or journal. See the package documentation for the
 * protocol. Thread-safe: any number of {@link Snapshot}s at once, one {@link WriteTxn} at a time.
 */
public final class Pager implements AutoCloseable {
    /** How the pager is opened. */
    public record Options(JournalMode journalMode, SyncLevel syncLevel, int cacheSize, int newPageSize,
                          boolean readOnly, long busyTimeoutMs, int autoCheckpointCommits, CommitHook hook) {
        public Options(JournalMode journalMode, SyncLevel syncLevel, int cacheSize, int newPageSize,
                       boolean readOnly, long busyTimeoutMs, int autoCheckpointCommits) {
            this(journalMode, syncLevel, cacheSize, newPageSize, readOnly, busyTimeoutMs, autoCheckpointCommits, null);
        }
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
    private JournalMode mode;

    // Guarded by this.
    private int dbSize;
    /** In-process users of the SHARED file lock (readers and the writer), rollback-journal mode. */
    private int sharedUsers;
    private boolean writerHoldsShared;
    /** The change counter (header offset 24) as of our last look: another connection's commit changes it. */
    private int knownCounter = Integer.MIN_VALUE;
    private int commitsSinceCheckpoint;
    private boolean checkpointDue;
    private boolean closed;
    private boolean broken;

    // WAL mode.
    private WalFile wal;
    private SharedWal shared;
    /** What the database file held at our last look (log salt, frames copied back): cached file pages depend on it. */
    private long fileEpoch = Long.MIN_VALUE;
    /** The write transaction's lock owner and snapshot. */
    private Object writeOwner;
    private SharedWal.View writeView;

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
        long deadline = System.nanoTime() + Math.max(opts.busyTimeoutMs(), 0) * 1_000_000L;
        for (int attempt = 0; RollbackJournal.isHot(storage, journal); attempt++) {
            DatabaseFileLock fl = new DatabaseFileLock(locks, owner, path);
            try {
                fl.lockShared(Math.max(0, (deadline - System.nanoTime()) / 1_000_000L));
                if (!RollbackJournal.isHot(storage, journal) || fl.reservedByOther()) {
                    return;
                }
                if (opts.readOnly()) {
                    throw new KVException(ErrorCode.READONLY, "hot journal " + journal
                            + " must be rolled back, which a read-only open cannot do");
                }
                // Straight to EXCLUSIVE, not through RESERVED: see revalidate(). Tried at once; on busy
                // let SHARED go and try again, so that connections racing for the same playback part ways.
                fl.lockExclusive(0);
                if (RollbackJournal.isHot(storage, journal)) {
                    RollbackJournal.rollback(storage, journal, db, headerPageSize(db, path));
                }
                return;
            } catch (BusyException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
            } finally {
                fl.unlock();
            }
            backOff(attempt);
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
        int pageSize = filePageSize;
        int usable = fileUsable;
        if (pageSize == 0) {
            pageSize = walPageSize(storage, walPath);
            if (pageSize == 0) {
                pageSize = opts.newPageSize();
            }
            usable = pageSize;
        }
        Pager p = new Pager(storage, path, opts, db, pageSize, usable, locks, lockOwner);
        boolean ok = false;
        try {
            JournalMode fileMode = fileSize == 0 ? opts.journalMode() : (walHeader ? JournalMode.WAL : JournalMode.DELETE);
            JournalMode wanted = opts.readOnly() ? fileMode : opts.journalMode();
            if (wanted != fileMode && !p.aloneOnFile()) {
                // Another connection uses the file: its journal mode stays (SQLite refuses the switch too).
                wanted = fileMode;
            }
            if (fileMode == JournalMode.WAL) {
                p.mode = JournalMode.WAL;
                p.startWal();
                if (wanted == JournalMode.DELETE) {
                    p.leaveWal();
                }
            } else {
                p.mode = JournalMode.DELETE;
                // The size comes from the file under SHARED: a writer may be mid-commit right now.
                synchronized (p) {
                    p.acquireSharedUse();
                    p.releaseSharedUse();
                }
                if (wanted == JournalMode.WAL) {
                    if (p.dbSize > 0) {
                        p.setFormatVersion(2);
                    }
                    p.mode = JournalMode.WAL;
                    p.startWal();
                }
            }
            ok = true;
            return p;
        } finally {
            if (!ok) {
                p.closeFiles();
            }
        }
    }

    /** The page size a WAL's header names (for an empty database file whose data lives in the WAL), or 0. */
    private static int walPageSize(Storage storage, Path walPath) throws IOException {
        if (!storage.exists(walPath)) {
            return 0;
        }
        try (StorageFile f = storage.open(walPath, true, false)) {
            byte[] h = new byte[WalFile.HEADER_SIZE];
            if (f.read(0, h, 0, h.length) == h.length) {
                int magic = WalFile.u32(h, 0);
                int ps = WalFile.u32(h, 8);
                if ((magic == WalFile.MAGIC_LE || magic == WalFile.MAGIC_BE) && ps >= 512 && ps <= 65536
                        && Integer.bitCount(ps) == 1) {
                    return ps;
                }
            }
        }
        return 0;
    }

    /** Database size in pages from the file itself (header when valid, else length), checked for truncation. */
    private static int fileDbSize(Path path, long fileSize, int pageSize, byte[] head) {
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
        return fromHeader > 0 ? fromHeader : (int) Math.min(bySize, Integer.MAX_VALUE);
    }

    /** The database size the file holds now (WAL mode: for a log with no commit yet). */
    private int currentFileDbSize() throws IOException {
        long size = db.size();
        byte[] head = new byte[DatabaseHeader.SIZE];
        if (size >= DatabaseHeader.SIZE) {
            db.read(0, head, 0, DatabaseHeader.SIZE);
        }
        return fileDbSize(path, size, pageSize, head);
    }

    /**
     * Joins the shared WAL: SHARED on the database file for the connection's life (as SQLite's WAL
     * connections hold it, so that a last-connection check at close means something), the wal-index,
     * and the log itself.
     */
    private void startWal() throws IOException {
        fileLock.lockShared(opts.busyTimeoutMs());
        StorageFile walHandle;
        if (opts.readOnly()) {
            walHandle = storage.exists(walPath) ? storage.open(walPath, true, false) : null;
        } else {
            walHandle = storage.open(walPath, false, true);
        }
        if (walHandle == null) {
            // Read-only, and no log yet: the database file alone, until a writer creates one.
            wal = null;
            shared = null;
            dbSize = currentFileDbSize();
            return;
        }
        wal = WalFile.fresh(walHandle, pageSize);
        try {
            shared = SharedWal.open(path, this, pageSize, opts.busyTimeoutMs());
        } catch (IOException e) {
            if (!opts.readOnly()) {
                throw e;
            }
            // Read-only where <db>-shm cannot be created or written: a private index of the log as it is.
            shared = SharedWal.openPrivate(path, this, pageSize);
        }
        WalIndexHeader h = shared.header(wal.file(), opts.busyTimeoutMs());
        wal.adopt(h);
        dbSize = h.nPage() > 0 ? h.nPage() : currentFileDbSize();
    }

    /** WAL to rollback journal: copy everything back, drop the log and the index, rewrite the header. */
    private void leaveWal() throws IOException {
        CheckpointResult r = shared.checkpoint(CheckpointMode.TRUNCATE, wal.file(), wal, db, opts.syncLevel(),
                opts.busyTimeoutMs(), cache);
        if (r.framesCheckpointed() != r.framesInLog()) {
            return; // readers elsewhere: stay in WAL mode
        }
        dbSize = currentFileDbSize();
        shared.close();
        shared.deleteFile(storage);
        shared = null;
        wal.file().close();
        wal = null;
        storage.delete(walPath);
        cache.clear();
        mode = JournalMode.DELETE;
        if (dbSize > 0) {
            setFormatVersion(1);
        }
    }

    /** Whether no other connection has the file open (at open time: the lock is released again). */
    private boolean aloneOnFile() {
        try {
            return lastConnection();
        } finally {
            fileLock.unlock();
        }
    }

    /** Rewrites header bytes 18 and 19 (1 = rollback journal, 2 = WAL) through the rollback journal, as SQLite does. */
    private void setFormatVersion(int v) {
        JournalMode target = mode;
        mode = JournalMode.DELETE;
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

    /** Database size in pages as of the latest snapshot this connection took or wrote. */
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

    private KVException ioError(String what, IOException e) {
        return new KVException(ErrorCode.IOERR, what + " " + path + " failed: " + e.getMessage(), e);
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
                return new Snapshot(this, null, null, -1, true, true);
            }
        }
        synchronized (this) {
            checkOpen();
        }
        return walSnapshot(true);
    }

    /** A WAL-mode snapshot holding its own read mark. */
    private Snapshot walSnapshot(boolean registered) {
        SharedWal sw;
        synchronized (this) {
            sw = shared;
        }
        if (sw == null) {
            // Read-only without a log: the file is the whole database.
            synchronized (this) {
                try {
                    if (storage.exists(walPath)) {
                        startWal();
                        sw = shared;
                    } else {
                        dbSize = currentFileDbSize();
                        return new Snapshot(this, null, null, dbSize, false, false);
                    }
                } catch (IOException e) {
                    throw ioError("reading", e);
                }
            }
            if (sw == null) {
                synchronized (this) {
                    return new Snapshot(this, null, null, dbSize, false, false);
                }
            }
        }
        Object owner = new Object();
        try {
            SharedWal.View v = sw.beginRead(owner, wal.file(), opts.busyTimeoutMs());
            int size;
            try {
                size = noteView(v);
            } catch (RuntimeException | IOException e) {
                sw.endRead(owner, v);
                throw e;
            }
            return new Snapshot(this, v, owner, size, false, registered);
        } catch (IOException e) {
            throw ioError("reading", e);
        }
    }

    /**
     * Records what a new snapshot says about the database file: cached file pages are dropped when the
     * log restarted or frames were copied back since our last look (by any connection).
     *
     * @return the snapshot's database size
     */
    private synchronized int noteView(SharedWal.View v) throws IOException {
        WalIndexHeader h = v.header();
        long epoch = ((long) h.salt1() << 32) | (v.minFrame() & 0xffffffffL);
        if (epoch != fileEpoch) {
            if (fileEpoch != Long.MIN_VALUE) {
                cache.clear();
            }
            fileEpoch = epoch;
        }
        int size = h.nPage() > 0 ? h.nPage() : currentFileDbSize();
        dbSize = size;
        return size;
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
        if (s.view != null && shared != null) {
            try {
                shared.endRead(s.owner, s.view);
            } catch (IOException e) {
                throw ioError("unlocking", e);
            }
        }
    }

    /**
     * One more in-process user of the SHARED file lock (rollback-journal mode); the first takes it, and
     * then checks what other connections did meanwhile. Caller holds this.
     */
    private void acquireSharedUse() {
        if (sharedUsers == 0) {
            long deadline = System.nanoTime() + Math.max(opts.busyTimeoutMs(), 0) * 1_000_000L;
            for (int attempt = 0; ; attempt++) {
                long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                fileLock.lockShared(left);
                try {
                    revalidate();
                    break;
                } catch (BusyException e) {
                    fileLock.unlock();
                    if (System.nanoTime() >= deadline) {
                        throw e;
                    }
                    backOff(attempt);
                } catch (RuntimeException e) {
                    fileLock.unlock();
                    throw e;
                }
            }
        }
        sharedUsers++;
    }

    /** A short, jittered pause between lock attempts, so connections contending symmetrically part ways. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(Math.min(2 + attempt, 20)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                // Straight to EXCLUSIVE, not through RESERVED (SQLite's rule): a RESERVED holder would make
                // other connections take the journal for a live writer's and read the torn pages. Tried
                // at once: every connection that saw the journal holds SHARED and wants the same, so the
                // caller lets SHARED go and tries again (acquireSharedUse), as SQLite's busy loop does.
                fileLock.lockExclusive(0);
                try {
                    if (RollbackJournal.isHot(storage, journalPath)) {
                        RollbackJournal.rollback(storage, journalPath, db, pageSize);
                    }
                } finally {
                    fileLock.downgradeToShared();
                }
                cache.clear();
                knownCounter = Integer.MIN_VALUE;
            }
            byte[] head = new byte[DatabaseHeader.SIZE];
            long size = db.size();
            int counter = size >= DatabaseHeader.SIZE && db.read(0, head, 0, DatabaseHeader.SIZE) == DatabaseHeader.SIZE
                    ? DatabaseHeader.u32(head, DatabaseHeader.OFF_CHANGE_COUNTER) : 0;
            if (counter != knownCounter) {
                cache.clear();
                dbSize = fileDbSize(path, size, pageSize, head);
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
            SharedWal.View v = s.view;
            if (v != null && v.mark() > 0) {
                int f = shared.find(v, pgno);
                if (f > 0) {
                    long tag = PageCache.frameTag(v.header().salt1(), f);
                    byte[] hit = cache.get(pgno, tag);
                    if (hit != null) {
                        return hit;
                    }
                    byte[] d = new byte[pageSize];
                    wal.readFrame(f, d, walPath);
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

    /**
     * Starts the write transaction: waits for another one in this process, then for other connections'
     * (busy timeout). With a commit hook, the hook first sees the transaction and may finish what an
     * earlier writer left undone (then the transaction starts again on the new state).
     */
    public WriteTxn beginWrite() {
        return beginWrite(opts.busyTimeoutMs());
    }

    /** {@link #beginWrite()} waiting at most {@code busyMs} for other connections' write transactions. */
    public WriteTxn beginWrite(long busyMs) {
        CommitHook hook = opts.hook();
        while (true) {
            WriteTxn t = beginPlainWrite(busyMs);
            if (hook == null) {
                return t;
            }
            boolean again;
            try {
                again = hook.beforeWrite(t);
            } catch (RuntimeException e) {
                t.endIfOpen();
                throw e;
            }
            if (!again) {
                return t;
            }
            t.endIfOpen();
        }
    }

    private WriteTxn beginPlainWrite(long busyMs) {
        synchronized (this) {
            checkOpen();
            if (opts.readOnly()) {
                throw new io.snkv.ReadOnlyException("store is open read-only: " + path);
            }
        }
        writer.lock();
        try {
            if (mode == JournalMode.DELETE) {
                return beginRollbackWrite(busyMs);
            }
            Object owner = new Object();
            long deadline = System.nanoTime() + Math.max(busyMs, 0) * 1_000_000L;
            while (true) {
                Snapshot base = walSnapshot(false);
                try {
                    if (shared.beginWrite(owner, base.view, busyMs)) {
                        synchronized (this) {
                            writeOwner = owner;
                            writeView = base.view;
                            wal.adopt(base.view.header());
                        }
                        return new WriteTxn(this, base.dbSize, base, owner);
                    }
                } catch (IOException | RuntimeException e) {
                    shared.endRead(base.owner, base.view);
                    throw e;
                }
                shared.endRead(base.owner, base.view);
                if (System.nanoTime() > deadline) {
                    throw new BusyException("database is locked: " + path + " kept changing under a new writer");
                }
            }
        } catch (IOException e) {
            writer.unlock();
            throw ioError("locking", e);
        } catch (RuntimeException e) {
            writer.unlock();
            throw e;
        }
    }

    /**
     * SHARED then RESERVED. While another connection holds RESERVED, SHARED is let go between tries, as
     * SQLite's busy loop does: holding it would block that connection's commit, and both would wait
     * out their timeouts. Caller holds the writer lock.
     */
    private WriteTxn beginRollbackWrite(long busyMs) {
        long deadline = System.nanoTime() + Math.max(busyMs, 0) * 1_000_000L;
        for (int attempt = 0; ; attempt++) {
            synchronized (this) {
                checkOpen();
                acquireSharedUse();
                try {
                    fileLock.lockReserved(0);
                    writerHoldsShared = true;
                    return new WriteTxn(this, dbSize, new Snapshot(this, null, null, -1, true, false));
                } catch (BusyException e) {
                    releaseSharedUse();
                    if (System.nanoTime() >= deadline) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    releaseSharedUse();
                    throw e;
                }
            }
            try {
                Thread.sleep(Math.min(1 + attempt, 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusyException("interrupted while waiting for the write lock of " + path);
            }
        }
    }

    void endWrite(WriteTxn t) {
        try {
            synchronized (this) {
                if (writerHoldsShared) {
                    writerHoldsShared = false;
                    fileLock.downgradeToShared();
                    releaseSharedUse();
                }
                if (writeOwner != null) {
                    try {
                        shared.endWrite(writeOwner);
                        shared.endRead(t.base().owner, t.base().view);
                    } catch (IOException e) {
                        throw ioError("unlocking", e);
                    } finally {
                        writeOwner = null;
                        writeView = null;
                    }
                }
            }
        } finally {
            writer.unlock();
        }
    }

    /** Runs the automatic checkpoint a commit made due, after the write transaction released its locks. */
    void afterCommit() {
        boolean due;
        synchronized (this) {
            due = checkpointDue;
            checkpointDue = false;
        }
        if (due) {
            try {
                checkpoint(CheckpointMode.PASSIVE);
            } catch (KVException e) {
                // The commit stands; the frames stay in the log for the next checkpoint.
            }
        }
    }

    /** Commits {@code t}'s pages. Caller holds the writer lock. */
    void commit(WriteTxn t) {
        if (t.dirty.isEmpty()) {
            return;
        }
        int newSize = t.dbSize;
        if (!t.raw) {
            stampHeader(t, newSize);
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
        CommitHook hook = opts.hook();
        Object token = null;
        try {
            if (hook != null) {
                token = hook.prepare(new CommitPages(pgnos, pages, k, t.startSize, newSize, t));
            }
            if (mode == JournalMode.WAL && t.startSize > 0) {
                String markAfter = commitWal(pgnos, pages, k, newSize);
                if (hook != null) {
                    hook.committed(token, markAfter);
                }
            } else {
                // A new file's first pages go straight into the database file, as SQLite writes them: a C
                // process finding an empty database file deletes its WAL as stale.
                commitRollback(t, pgnos, pages, k, newSize, token);
            }
        } catch (IOException | RuntimeException e) {
            // Nothing reached the database (or the pager undid it): the log record goes too. When the undo
            // failed the commit may still surface, so the record stays for the next writer to roll forward.
            boolean undone;
            synchronized (this) {
                undone = !broken;
            }
            if (token != null && undone) {
                hook.abandoned(token);
            }
            if (e instanceof IOException io) {
                throw ioError("commit to", io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Rewrites page 1's change counter and page count for a commit of {@code t}, as SQLite does. */
    private void stampHeader(WriteTxn t, int newSize) {
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
    }

    /**
     * A short text naming the committed state {@code t} started from, as far as the files tell it: in WAL
     * mode the log's salts, last commit frame and running checksum (every commit by any writer changes
     * them), else the database file's size, modification time and change counter. Equal marks mean no
     * commit happened in between, with one exception a hook must allow for: a restarted or truncated log
     * reads as a file mark. Caller holds the write lock.
     */
    public String stateMark(WriteTxn t) {
        SharedWal.View v = t.base().view;
        if (v != null && v.header().mxFrame() > 0) {
            return walMark(v.header());
        }
        try {
            return fileMark();
        } catch (IOException e) {
            throw ioError("reading", e);
        }
    }

    /** The mark of the latest committed state, for a caller that holds the file exclusively. */
    private String currentMark() throws IOException {
        WalIndexHeader h = shared.header(wal.file(), opts.busyTimeoutMs());
        return h.mxFrame() > 0 ? walMark(h) : fileMark();
    }

    private static String walMark(WalIndexHeader h) {
        // Once per write transaction: plain concatenation, String.format was a visible share of a small commit.
        return "wal " + hex8(h.salt1()) + " " + hex8(h.salt2()) + " " + h.mxFrame() + " "
                + hex8(h.frameChecksum0()) + " " + hex8(h.frameChecksum1());
    }

    private String fileMark() throws IOException {
        byte[] head = new byte[DatabaseHeader.SIZE];
        long size = db.size();
        int counter = size >= DatabaseHeader.SIZE && db.read(0, head, 0, DatabaseHeader.SIZE) == DatabaseHeader.SIZE
                ? DatabaseHeader.u32(head, DatabaseHeader.OFF_CHANGE_COUNTER) : 0;
        return "file " + size + " " + storage.modifiedNanos(path) + " " + Integer.toUnsignedString(counter);
    }

    private String commitWal(int[] pgnos, byte[][] pages, int n, int newSize) throws IOException {
        WalIndexHeader h = shared.restartIfPossible(writeView.header());
        if (h != writeView.header()) {
            wal.adopt(h);
        }
        int prevMx = wal.mxFrame();
        int c0 = wal.checksum0();
        int c1 = wal.checksum1();
        int first;
        try {
            first = wal.appendTransaction(pgnos, pages, n, newSize, opts.syncLevel() == SyncLevel.FULL,
                    opts.syncLevel() != SyncLevel.OFF);
            shared.index(first, pgnos, n);
        } catch (IOException e) {
            try {
                shared.unindex(prevMx);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (wal.undoAppend(prevMx, c0, c1)) {
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
        WalIndexHeader published = shared.publish(h, wal.mxFrame(), newSize, wal.checksum0(), wal.checksum1(),
                wal.salt1(), wal.salt2(), wal.bigEndian());
        shared.mirrorOwnFrames(published, first, pgnos, n);
        synchronized (this) {
            for (int i = 0; i < n; i++) {
                cache.put(pgnos[i], PageCache.frameTag(published.salt1(), first + i), pages[i]);
            }
            dbSize = newSize;
            commitsSinceCheckpoint++;
            if (opts.autoCheckpointCommits() > 0 && commitsSinceCheckpoint >= opts.autoCheckpointCommits()) {
                checkpointDue = true;
            }
        }
        return walMark(published);
    }

    /** Commits through the rollback journal; the hook hears of it while the file is still held exclusively. */
    private void commitRollback(WriteTxn t, int[] pgnos, byte[][] pages, int n, int newSize, Object hookToken)
            throws IOException {
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
            if (t.startSize == 0 && db.size() > 0) {
                throw new BusyException("database " + path + " was created by another connection meanwhile; reopen it");
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
            if (opts.hook() != null) {
                String mark;
                try {
                    mark = fileMark();
                } catch (IOException e) {
                    mark = null; // unknown: the next writer verifies the database against the log
                }
                opts.hook().committed(hookToken, mark);
            }
        } finally {
            synchronized (this) {
                if (fileLock.level() == DatabaseFileLock.Level.EXCLUSIVE) {
                    fileLock.downgradeToShared();
                    // WAL-mode connections keep SHARED for their whole life.
                    if (mode == JournalMode.DELETE && !writerHoldsShared && sharedUsers == 0) {
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
            if (this.mode != JournalMode.WAL || shared == null || opts.readOnly()) {
                return new CheckpointResult(0, 0);
            }
        }
        if (mode == CheckpointMode.PASSIVE) {
            if (!writer.tryLock()) {
                try {
                    return shared.state(wal.file(), opts.busyTimeoutMs());
                } catch (IOException e) {
                    throw ioError("checkpoint of", e);
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
            if (opts.hook() != null) {
                opts.hook().beforeCheckpoint();
            }
            CheckpointResult r = shared.checkpoint(mode, wal.file(), wal, db, opts.syncLevel(), opts.busyTimeoutMs(), cache);
            synchronized (this) {
                commitsSinceCheckpoint = 0;
            }
            return r;
        } catch (IOException e) {
            throw ioError("checkpoint of", e);
        } finally {
            writer.unlock();
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
            throw ioError("sync of", e);
        }
    }

    /**
     * Closes the connection. The last connection on the file (WAL mode) checkpoints everything and
     * deletes the WAL and the wal-index, as SQLite does.
     */
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
            CommitHook hook = opts.hook();
            if (hook != null && !opts.readOnly() && !broken) {
                try {
                    hook.beforeCheckpoint();
                } catch (IOException e) {
                    failure = ioError("closing", e);
                }
            }
            if (mode == JournalMode.WAL && shared != null && !opts.readOnly() && !broken && lastConnection()) {
                try {
                    String before = hook == null ? null : currentMark();
                    CheckpointResult r = shared.checkpoint(CheckpointMode.TRUNCATE, wal.file(), wal, db,
                            opts.syncLevel(), opts.busyTimeoutMs(), cache);
                    if (r.framesCheckpointed() == r.framesInLog()) {
                        shared.close();
                        shared.deleteFile(storage);
                        shared = null;
                        wal.file().close();
                        storage.delete(walPath);
                        wal = null;
                        if (hook != null) {
                            hook.closedClean(before, fileMark());
                        }
                    }
                } catch (KVException e) {
                    failure = e;
                } catch (IOException e) {
                    failure = ioError("closing", e);
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
        if (shared != null) {
            try {
                shared.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            shared = null;
        }
        if (wal != null) {
            try {
                wal.file().close();
            } catch (IOException ignored) {
                // likewise
            }
            wal = null;
        }
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
    }

    /** {@code v} as 8 lower-case hex digits, zero-padded (as {@code %08x}). */
    private static String hex8(int v) {
        return java.util.HexFormat.of().toHexDigits(v);
    }
}
