package io.snkv.internal.io;

/**
 * Where SQLite's unix VFS puts its POSIX locks, so that SNKV processes and SQLite processes on the same
 * files exclude each other.
 *
 * <p>Database file (the bytes lie past any real content; nothing is ever stored there):
 * <pre>
 *   offset          length  name           SQLite lock level it implements
 *   0x40000000      1       PENDING_BYTE   PENDING: write lock; blocks new SHARED (a new reader read-locks
 *                                          this byte while it takes SHARED, then unlocks it)
 *   0x40000001      1       RESERVED_BYTE  RESERVED: write lock; one writer-to-be at a time
 *   0x40000002      510     SHARED range   SHARED: read lock on the whole range
 *                                          EXCLUSIVE: write lock on the whole range
 * </pre>
 * SHARED is taken as: read-lock PENDING, read-lock the SHARED range, unlock PENDING. EXCLUSIVE from
 * RESERVED goes through PENDING (write lock) first, so no new reader arrives while old ones drain. Going
 * back down, SQLite turns the SHARED range into a read lock first and only then unlocks PENDING and
 * RESERVED; keep that order, it is what makes a non-atomic downgrade safe (see {@link ByteRangeLocks}).
 *
 * <p>{@code <db>-shm} wal-index file: eight one-byte locks from offset 120, then the dead-man switch:
 * <pre>
 *   120  WAL_WRITE_LOCK     exclusive: the one WAL writer
 *   121  WAL_CKPT_LOCK      exclusive: the one checkpointer
 *   122  WAL_RECOVER_LOCK   exclusive: rebuilding the wal-index
 *   123+n WAL_READ_LOCK(n)  n = 0..4; shared: a reader using read mark n; exclusive: changing mark n
 *   128  DMS                shared while a connection uses the wal-index; whoever gets it exclusive is
 *                           the first user and truncates the file
 * </pre>
 * SQLite takes shm locks shared only one byte at a time; ranges of several bytes are only locked
 * exclusive.
 */
public final class SqliteLockLayout {
    public static final long PENDING_BYTE = 0x40000000L;
    public static final long RESERVED_BYTE = PENDING_BYTE + 1;
    public static final long SHARED_FIRST = PENDING_BYTE + 2;
    public static final int SHARED_SIZE = 510;

    /** Offset of the first wal-index lock byte in the {@code -shm} file. */
    public static final long SHM_LOCK_BASE = 120;
    /** Number of wal-index lock bytes. */
    public static final int SHM_LOCK_COUNT = 8;
    /** Offset of the dead-man switch byte in the {@code -shm} file. */
    public static final long SHM_DMS = SHM_LOCK_BASE + SHM_LOCK_COUNT;

    public static final int WAL_WRITE_LOCK = 0;
    public static final int WAL_CKPT_LOCK = 1;
    public static final int WAL_RECOVER_LOCK = 2;
    /** Number of read marks, hence of {@link #walReadLock(int)} slots. */
    public static final int WAL_READERS = 5;

    private SqliteLockLayout() {
    }

    /** Lock index of read mark {@code n} (0..4). */
    public static int walReadLock(int n) {
        if (n < 0 || n >= WAL_READERS) {
            throw new IllegalArgumentException("read mark " + n + " is not in 0.." + (WAL_READERS - 1));
        }
        return 3 + n;
    }

    /** Byte offset in the {@code -shm} file of wal-index lock {@code lockIndex} (0..7). */
    public static long shmLockOffset(int lockIndex) {
        if (lockIndex < 0 || lockIndex >= SHM_LOCK_COUNT) {
            throw new IllegalArgumentException("shm lock " + lockIndex + " is not in 0.." + (SHM_LOCK_COUNT - 1));
        }
        return SHM_LOCK_BASE + lockIndex;
    }
}
