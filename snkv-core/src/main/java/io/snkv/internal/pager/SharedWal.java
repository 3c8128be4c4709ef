package io.snkv.internal.pager;

import io.snkv.BusyException;
import io.snkv.CheckpointMode;
import io.snkv.CheckpointResult;
import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.SyncLevel;
import io.snkv.internal.io.ByteRangeLocks;
import io.snkv.internal.io.LockMode;
import io.snkv.internal.io.SharedMemory;
import io.snkv.internal.io.SqliteLockLayout;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One connection's use of a WAL shared with other connections and processes through SQLite's
 * wal-index ({@code <db>-shm}, see {@link WalIndexFormat}) and its locks, so that SNKV processes in Java
 * and in C, and SQLite itself, read and write the same database safely at once.
 *
 * <h2>Protocol (SQLite's wal.c)</h2>
 * <ul>
 *   <li>Reader: read the index header (both copies equal and checksummed; otherwise rebuild the index
 *       from the WAL under the write, checkpoint, recover and read locks). If every frame is already in
 *       the database file, hold READ_LOCK(0) shared and read the file only. Else hold READ_LOCK(i)
 *       shared for a read mark i no greater than the header's last frame (setting a free mark to it
 *       under its exclusive lock first), then check that the mark and the header did not move. The
 *       snapshot is then frames {@code nBackfill+1 .. mxFrame} plus the database file.
 *   <li>Writer: WAL_WRITE_LOCK exclusive, and its snapshot must still be the newest header. When every
 *       frame is copied back and no reader holds marks 1..4, the log restarts (new salts). Frames are
 *       appended, entered in the hash tables, then the header is published (copy 2, barrier, copy 1).
 *   <li>Checkpointer: WAL_CKPT_LOCK exclusive; copy back no further than the lowest read mark still
 *       held (moving free marks up under their exclusive locks), with READ_LOCK(0) exclusive so no
 *       database-only reader sees the file change; RESTART and TRUNCATE then wait for readers and
 *       restart the log.
 * </ul>
 * A dead process's locks are freed by the OS; the index it may have left half written is rebuilt by
 * the next reader that finds the header inconsistent.
 *
 * <p>Thread-safe for the pager's use: readers call {@link #beginRead} concurrently, each with its own
 * lock owner; writes and checkpoints run under the pager's writer lock.
 */
final class SharedWal implements AutoCloseable {
    /** A read snapshot: the frames {@code minFrame..mx} of the log whose first salt is {@code salt1}. */
    record View(WalIndexHeader header, int mark, int minFrame) {
        int mx() {
            return mark == 0 ? 0 : header.mxFrame();
        }
    }

    private static final int MAX_TRIES = 1000;

    private final Path dbPath;
    private final ByteRangeLocks shmLocks;
    private final SharedMemory memory;
    private final ShmAccess shm;
    private final WalIndexHashTable hash;
    private final WalIndexCheckpointInfo info;
    private final Object connection;
    private final int pageSize;
    /** Private copy of the frame index (guarded by this). */
    private FrameMirror mirror = new FrameMirror(0, 0);
    /**
     * Holds the read mark our snapshots last used, shared, between transactions, so that the next
     * snapshot on the same mark costs no system call (POSIX locks are per process: a second holder in
     * this JVM is free). Released when the mark changes, by a checkpoint or close of ours, and after a
     * short idle time by {@link LockReaper}, so that other processes' checkpoints are held back at most
     * that long. Guarded by this.
     */
    private final Object lingerOwner = new Object();
    private byte[] lastRawHeader;
    private WalIndexHeader lastHeader;
    private int lingerMark = -1;
    private long lingerUsed;

    private SharedWal(Path dbPath, ByteRangeLocks shmLocks, SharedMemory memory, ShmAccess shm, Object connection,
                      int pageSize) throws IOException {
        this.dbPath = dbPath;
        this.shmLocks = shmLocks;
        this.memory = memory;
        this.shm = shm;
        this.connection = connection;
        this.pageSize = pageSize;
        shm.ensureRegions(1);
        this.hash = new WalIndexHashTable(shm);
        this.info = new WalIndexCheckpointInfo(shm);
    }

    /** Maps {@code <db>-shm} and joins its users (the dead-man switch). */
    static SharedWal open(Path dbPath, Object connection, int pageSize, long busyMs) throws IOException {
        Path shmPath = dbPath.resolveSibling(dbPath.getFileName() + "-shm");
        ByteRangeLocks locks = ByteRangeLocks.forFile(shmPath, true);
        SharedMemory memory = null;
        try {
            memory = SharedMemory.open(locks);
            long deadline = System.nanoTime() + Math.max(busyMs, 100) * 1_000_000L;
            while (!memory.acquireDeadManSwitch(connection)) {
                if (System.nanoTime() > deadline) {
                    throw new BusyException("database is locked: " + shmPath + " is being reset by another connection");
                }
                sleepQuietly(2);
            }
            SharedWal w = new SharedWal(dbPath, locks, memory, new SharedMemoryShm(memory, shmPath, true), connection, pageSize);
            memory = null;
            locks = null;
            return w;
        } finally {
            if (memory != null) {
                memory.close();
            }
            if (locks != null) {
                locks.close();
            }
        }
    }

    /**
     * A wal-index in this process's memory, for a read-only connection that cannot create or write
     * {@code <db>-shm} (a read-only directory or file system): built once from the log, so it sees the
     * database as it was when opened, and assumes no other process writes meanwhile (SQLite's answer
     * there is the same: such a connection cannot coordinate with writers).
     */
    static SharedWal openPrivate(Path dbPath, Object connection, int pageSize) throws IOException {
        return new SharedWal(dbPath, null, null, new HeapShm(dbPath.resolveSibling(dbPath.getFileName() + "-shm")),
                connection, pageSize);
    }

    // ---- locks ----

    private static long lockOffset(int lock) {
        return SqliteLockLayout.SHM_LOCK_BASE + lock;
    }

    // A private (heap) index has no file to lock: it serves one read-only connection alone.

    private boolean tryLock(Object owner, int lock, LockMode mode) throws IOException {
        return shmLocks == null || shmLocks.tryLock(owner, lockOffset(lock), 1, mode);
    }

    private boolean lock(Object owner, int lock, LockMode mode, long busyMs) throws IOException {
        if (shmLocks == null) {
            return true;
        }
        return busyMs <= 0 ? tryLock(owner, lock, mode) : shmLocks.lock(owner, lockOffset(lock), 1, mode, busyMs);
    }

    private void unlock(Object owner, int lock) throws IOException {
        if (shmLocks != null) {
            shmLocks.unlock(owner, lockOffset(lock), 1);
        }
    }

    private static int readLock(int i) {
        return SqliteLockLayout.walReadLock(i);
    }

    // ---- reading ----

    /** The current header, rebuilding the index from the log first if it is not consistent. */
    WalIndexHeader header(StorageFile walFile, long busyMs) throws IOException {
        WalIndexHeader h = readHeader();
        if (h != null && h.isSupportedVersion()) {
            return h;
        }
        return recover(walFile, busyMs);
    }

    /** Rebuilds the index from the WAL, holding every lock but DMS exclusively (SQLite's walIndexRecover). */
    private WalIndexHeader recover(StorageFile walFile, long busyMs) throws IOException {
        Object owner = new Object();
        if (!lock(owner, SqliteLockLayout.WAL_WRITE_LOCK, LockMode.EXCLUSIVE, Math.max(busyMs, 1))) {
            throw new BusyException("database is locked: the WAL index of " + dbPath + " needs rebuilding and a writer holds it");
        }
        try {
            WalIndexHeader h = readHeader();
            if (h != null && h.isSupportedVersion()) {
                return h;
            }
            int[] others = {SqliteLockLayout.WAL_CKPT_LOCK, SqliteLockLayout.WAL_RECOVER_LOCK, readLock(0), readLock(1),
                readLock(2), readLock(3), readLock(4)};
            int got = 0;
            try {
                for (int l : others) {
                    if (!lock(owner, l, LockMode.EXCLUSIVE, Math.max(busyMs, 1))) {
                        throw new BusyException("database is locked: cannot rebuild the WAL index of " + dbPath);
                    }
                    got++;
                }
                WalIndexRecovery.Result r = WalIndexRecovery.recover(walFile, shm);
                WalIndexHeader rh = r.header();
                if (rh.pageSize() != 0 && rh.pageSize() != pageSize) {
                    throw new KVException(ErrorCode.CORRUPT, dbPath + "-wal has " + rh.pageSize()
                            + "-byte pages but the database " + pageSize);
                }
                info.resetAfterRecovery(rh.mxFrame());
                return rh;
            } finally {
                for (int i = 0; i < got; i++) {
                    unlock(owner, others[i]);
                }
            }
        } finally {
            unlock(owner, SqliteLockLayout.WAL_WRITE_LOCK);
        }
    }

    /**
     * Starts a read transaction for {@code owner}: takes a read mark (see the class comment).
     * Busy (a reset or a recovery elsewhere) is retried for up to {@code busyMs}.
     */
    View beginRead(Object owner, StorageFile walFile, long busyMs) throws IOException {
        long deadline = System.nanoTime() + Math.max(busyMs, 50) * 1_000_000L;
        for (int attempt = 0; attempt < MAX_TRIES || System.nanoTime() < deadline; attempt++) {
            if (attempt > 5) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                sleepQuietly(Math.min(attempt - 5, 10));
            }
            WalIndexHeader h;
            try {
                h = header(walFile, busyMs);
            } catch (BusyException e) {
                // A header read while the writer rewrote it looks torn, and a rebuild needs the writer's lock: try
                // again, as SQLite's walTryBeginRead does, rather than fail a reader for a moment's overlap.
                continue;
            }
            int nBackfill = info.nBackfill();
            if (h.mxFrame() == nBackfill) {
                // Every frame is in the database file: read the file alone.
                if (tryLock(owner, readLock(0), LockMode.SHARED)) {
                    if (h.equals(readHeader())) {
                        linger(0);
                        return new View(h, 0, nBackfill + 1);
                    }
                    unlock(owner, readLock(0));
                }
                continue;
            }
            int mxReadMark = 0;
            int mxI = 0;
            for (int i = 1; i < SqliteLockLayout.WAL_READERS; i++) {
                int m = info.readMark(i);
                if (m != WalIndexFormat.READMARK_NOT_USED && Integer.compareUnsigned(mxReadMark, m) <= 0
                        && Integer.compareUnsigned(m, h.mxFrame()) <= 0) {
                    mxReadMark = m;
                    mxI = i;
                }
            }
            if (mxReadMark != h.mxFrame() || mxI == 0) {
                for (int i = 1; i < SqliteLockLayout.WAL_READERS; i++) {
                    if (tryLock(owner, readLock(i), LockMode.EXCLUSIVE)) {
                        info.setReadMark(i, h.mxFrame());
                        unlock(owner, readLock(i));
                        mxReadMark = h.mxFrame();
                        mxI = i;
                        break;
                    }
                }
            }
            if (mxI == 0) {
                continue;
            }
            if (!tryLock(owner, readLock(mxI), LockMode.SHARED)) {
                continue;
            }
            int minFrame = info.nBackfill() + 1;
            if (info.readMark(mxI) != mxReadMark || !h.equals(readHeader())) {
                unlock(owner, readLock(mxI));
                continue;
            }
            linger(mxI);
            return new View(h, mxI, minFrame);
        }
        throw new BusyException("database is locked: no WAL read mark of " + dbPath + " could be taken");
    }

    void endRead(Object owner, View v) throws IOException {
        unlock(owner, readLock(v.mark()));
    }

    /**
     * The frame holding {@code pgno} in {@code v}, or 0 when the database file holds it. A frame older
     * than the snapshot's first may be returned: it was copied back, so the file holds the same bytes.
     */
    int find(View v, int pgno) throws IOException {
        if (v.mark() == 0) {
            return 0;
        }
        WalIndexHeader h = v.header();
        int mx = h.mxFrame();
        synchronized (this) {
            FrameMirror m = mirror;
            if (m.salt1 != h.salt1() || m.salt2 != h.salt2()) {
                m = new FrameMirror(h.salt1(), h.salt2());
                mirror = m;
            }
            for (int f = m.frames() + 1; f <= mx; f++) {
                m.append(hash.pageOf(f));
            }
            return m.find(pgno, mx);
        }
    }

    /**
     * Reads the header as SQLite's readers do (copy 1, barrier, copy 2, both equal), decoding and
     * checksumming only when the bytes differ from the last header seen: most transactions find it
     * unchanged. Null when the copies differ or the header is not valid.
     */
    private WalIndexHeader readHeader() throws IOException {
        byte[] h1 = new byte[WalIndexFormat.HEADER_COPY_SIZE];
        byte[] h2 = new byte[WalIndexFormat.HEADER_COPY_SIZE];
        shm.read(WalIndexFormat.HEADER_COPY_1, h1, 0, h1.length);
        shm.fence();
        shm.read(WalIndexFormat.HEADER_COPY_2, h2, 0, h2.length);
        if (!Arrays.equals(h1, h2)) {
            return null;
        }
        synchronized (this) {
            if (Arrays.equals(h1, lastRawHeader)) {
                return lastHeader;
            }
        }
        WalIndexHeader h = WalIndexHeader.decode(h1);
        if (h != null) {
            synchronized (this) {
                lastRawHeader = h1;
                lastHeader = h;
            }
        }
        return h;
    }

    /** Our own commit's frames go straight into the mirror, so no reader has to fetch them from the shm. */
    synchronized void mirrorOwnFrames(WalIndexHeader published, int first, int[] pgnos, int n) {
        FrameMirror m = mirror;
        if (m.salt1 != published.salt1() || m.salt2 != published.salt2()) {
            if (first != 1) {
                return;
            }
            m = new FrameMirror(published.salt1(), published.salt2());
            mirror = m;
        }
        if (m.frames() != first - 1) {
            return;
        }
        for (int i = 0; i < n; i++) {
            m.append(pgnos[i]);
        }
    }

    /** Keeps mark {@code mark} locked between this connection's transactions (see {@link #lingerOwner}). */
    synchronized void linger(int mark) throws IOException {
        if (mark == lingerMark) {
            lingerUsed = System.nanoTime();
            return;
        }
        dropLinger();
        if (shmLocks != null && tryLock(lingerOwner, readLock(mark), LockMode.SHARED)) {
            lingerMark = mark;
            lingerUsed = System.nanoTime();
            LockReaper.watch(this);
        }
    }

    /** Releases the lingering read lock. */
    synchronized void dropLinger() throws IOException {
        if (lingerMark >= 0) {
            unlock(lingerOwner, readLock(lingerMark));
            lingerMark = -1;
        }
    }

    /** For {@link LockReaper}: drops the lingering lock if unused for {@code idleNanos}; true when none is left. */
    synchronized boolean reap(long idleNanos) {
        if (lingerMark < 0) {
            return true;
        }
        if (System.nanoTime() - lingerUsed < idleNanos) {
            return false;
        }
        try {
            dropLinger();
        } catch (IOException e) {
            lingerMark = -1;
        }
        return true;
    }

    // ---- writing ----

    /**
     * Takes the write lock for {@code owner}, whose snapshot is {@code v}.
     *
     * @return false when another connection committed after {@code v} (take a new snapshot and retry)
     */
    boolean beginWrite(Object owner, View v, long busyMs) throws IOException {
        if (!lock(owner, SqliteLockLayout.WAL_WRITE_LOCK, LockMode.EXCLUSIVE, busyMs)) {
            throw new BusyException("database is locked: another connection is writing " + dbPath);
        }
        if (!v.header().equals(readHeader())) {
            unlock(owner, SqliteLockLayout.WAL_WRITE_LOCK);
            return false;
        }
        return true;
    }

    void endWrite(Object owner) throws IOException {
        unlock(owner, SqliteLockLayout.WAL_WRITE_LOCK);
    }

    /**
     * Before the first frame of a transaction: restarts the log when every frame is in the database
     * file and no reader uses marks 1..4. The caller holds the write lock and its own read mark (0 then).
     *
     * @return the header to append after
     */
    WalIndexHeader restartIfPossible(WalIndexHeader h) throws IOException {
        if (h.mxFrame() == 0 || info.nBackfill() != h.mxFrame()) {
            return h;
        }
        dropLinger();
        Object owner = new Object();
        int got = 0;
        try {
            for (int i = 1; i < SqliteLockLayout.WAL_READERS; i++) {
                if (!tryLock(owner, readLock(i), LockMode.EXCLUSIVE)) {
                    return h;
                }
                got++;
            }
            return restartHeader(h);
        } finally {
            for (int i = 1; i <= got; i++) {
                unlock(owner, readLock(i));
            }
        }
    }

    /** SQLite's walRestartHdr: an empty log with new salts; the WAL file's header follows with the next frame. */
    private WalIndexHeader restartHeader(WalIndexHeader h) throws IOException {
        WalIndexHeader r = new WalIndexHeader(h.version(), h.change() + 1, h.bigEndianChecksum(), h.pageSize(), 0,
                h.nPage(), h.frameChecksum0(), h.frameChecksum1(), h.salt1() + 1, WalFile.randomSalt());
        r.write(shm);
        info.resetAfterRestart();
        return r;
    }

    /** Enters frames {@code first..first+n-1} in the hash tables. */
    void index(int first, int[] pgnos, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            hash.append(first + i, pgnos[i]);
        }
    }

    /** Forgets frames after {@code mxFrame} (a failed append). */
    void unindex(int mxFrame) throws IOException {
        hash.truncate(mxFrame);
    }

    /** Publishes a commit: the new end of log, size and checksum chain. */
    WalIndexHeader publish(WalIndexHeader base, int mxFrame, int nPage, int ck0, int ck1, int salt1, int salt2,
                           boolean bigEndian) throws IOException {
        WalIndexHeader h = new WalIndexHeader(WalIndexFormat.VERSION, base.change() + 1, bigEndian, pageSize, mxFrame,
                nPage, ck0, ck1, salt1, salt2);
        h.write(shm);
        return h;
    }

    // ---- checkpoint ----

    /**
     * Copies frames back into the database file as far as readers allow, and for RESTART and TRUNCATE
     * restarts the log once they are gone. The caller holds the pager's writer lock.
     */
    CheckpointResult checkpoint(CheckpointMode mode, StorageFile walFile, WalFile wal, StorageFile db, SyncLevel sync,
                                long busyMs, PageCache cache) throws IOException {
        dropLinger();
        Object owner = new Object();
        boolean passive = mode == CheckpointMode.PASSIVE;
        long wait = passive ? 0 : busyMs;
        if (!lock(owner, SqliteLockLayout.WAL_CKPT_LOCK, LockMode.EXCLUSIVE, wait)) {
            if (passive) {
                WalIndexHeader h = header(walFile, busyMs);
                return new CheckpointResult(h.mxFrame(), info.nBackfill());
            }
            throw new BusyException("database is locked: another checkpoint of " + dbPath + " is running");
        }
        boolean writeLocked = false;
        try {
            if (!passive) {
                writeLocked = lock(owner, SqliteLockLayout.WAL_WRITE_LOCK, LockMode.EXCLUSIVE, busyMs);
            }
            WalIndexHeader h = header(walFile, busyMs);
            int mx = h.mxFrame();
            int safe = mx;
            for (int i = 1; i < SqliteLockLayout.WAL_READERS; i++) {
                int y = info.readMark(i);
                if (Integer.compareUnsigned(safe, y) > 0) {
                    if (lock(owner, readLock(i), LockMode.EXCLUSIVE, wait)) {
                        info.setReadMark(i, i == 1 ? safe : WalIndexFormat.READMARK_NOT_USED);
                        unlock(owner, readLock(i));
                    } else {
                        safe = y;
                    }
                }
            }
            int backfilled = info.nBackfill();
            if (backfilled < safe && lock(owner, readLock(0), LockMode.EXCLUSIVE, wait)) {
                try {
                    backfill(wal, db, sync, h, backfilled, safe, cache);
                } finally {
                    unlock(owner, readLock(0));
                }
                backfilled = safe;
            }
            if ((mode == CheckpointMode.RESTART || mode == CheckpointMode.TRUNCATE) && backfilled == mx && writeLocked) {
                int got = 0;
                try {
                    for (int i = 1; i < SqliteLockLayout.WAL_READERS; i++) {
                        if (!lock(owner, readLock(i), LockMode.EXCLUSIVE, busyMs)) {
                            return new CheckpointResult(mx, backfilled);
                        }
                        got++;
                    }
                    if (mx > 0) {
                        WalIndexHeader r = restartHeader(h);
                        wal.adopt(r);
                    }
                    if (mode == CheckpointMode.TRUNCATE) {
                        walFile.truncate(0);
                        wal.adopt(readHeader());
                    }
                } finally {
                    for (int i = 1; i <= got; i++) {
                        unlock(owner, readLock(i));
                    }
                }
            }
            return new CheckpointResult(mx, backfilled);
        } finally {
            if (writeLocked) {
                unlock(owner, SqliteLockLayout.WAL_WRITE_LOCK);
            }
            unlock(owner, SqliteLockLayout.WAL_CKPT_LOCK);
        }
    }

    private void backfill(WalFile wal, StorageFile db, SyncLevel sync, WalIndexHeader h, int from, int to,
                          PageCache cache) throws IOException {
        if (sync != SyncLevel.OFF) {
            wal.sync();
        }
        IntIntMap newest = new IntIntMap(Math.max(16, to - from));
        int[] pgs = new int[to - from];
        int n = 0;
        for (int f = from + 1; f <= to; f++) {
            int pg = hash.pageOf(f);
            if (newest.get(pg) == 0) {
                pgs[n++] = pg;
            }
            newest.put(pg, f);
        }
        Arrays.sort(pgs, 0, n);
        byte[] buf = new byte[pageSize];
        int nPage = h.nPage();
        for (int i = 0; i < n; i++) {
            int pg = pgs[i];
            if (to == h.mxFrame() && pg > nPage) {
                continue;
            }
            wal.readFrame(newest.get(pg), buf, dbPath);
            db.write((long) (pg - 1) * pageSize, buf, 0, pageSize);
            cache.invalidateFileCopy(pg);
        }
        if (to == h.mxFrame()) {
            long want = (long) nPage * pageSize;
            if (db.size() > want) {
                db.truncate(want);
            }
        }
        if (sync != SyncLevel.OFF) {
            db.sync();
        }
        info.setNBackfill(to);
    }

    /** Frames in the log and frames copied back, as the index says now. */
    CheckpointResult state(StorageFile walFile, long busyMs) throws IOException {
        WalIndexHeader h = header(walFile, busyMs);
        return new CheckpointResult(h.mxFrame(), info.nBackfill());
    }

    /** Leaves the wal-index (the last connection may then delete the files). */
    @Override
    public void close() throws IOException {
        if (shmLocks == null) {
            return;
        }
        try {
            dropLinger();
            shmLocks.unlockAll(connection);
            memory.close();
        } finally {
            shmLocks.close();
        }
    }

    /** Deletes {@code <db>-shm}; only the last connection, holding the database EXCLUSIVE, may. */
    void deleteFile(io.snkv.internal.io.Storage storage) throws IOException {
        storage.delete(dbPath.resolveSibling(dbPath.getFileName() + "-shm"));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
