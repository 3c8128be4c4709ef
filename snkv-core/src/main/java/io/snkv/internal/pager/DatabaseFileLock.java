package io.snkv.internal.pager;

import io.snkv.BusyException;
import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.internal.io.ByteRangeLocks;
import io.snkv.internal.io.LockMode;
import io.snkv.internal.io.SqliteLockLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One connection's lock on the database file, at SQLite's levels and on SQLite's bytes, so that other
 * SNKV processes (Java or C) and SQLite processes exclude it as they exclude each other:
 * <pre>
 *   SHARED     reading                read lock on the SHARED range (taken under a read lock on PENDING)
 *   RESERVED   writing, not committed write lock on RESERVED: one writer-to-be; readers continue
 *   EXCLUSIVE  committing             write lock on PENDING (no new readers), then on the SHARED range
 *                                     (once the old readers are gone)
 * </pre>
 * Going down, the SHARED range becomes a read lock before PENDING and RESERVED are released (the order
 * that makes a non-atomic downgrade safe). Not thread-safe: the pager calls it under its own monitor.
 */
final class DatabaseFileLock {
    enum Level { NONE, SHARED, RESERVED, EXCLUSIVE }

    private final ByteRangeLocks locks;
    private final Object owner;
    private final Path path;
    private Level level = Level.NONE;

    DatabaseFileLock(ByteRangeLocks locks, Object owner, Path path) {
        this.locks = locks;
        this.owner = owner;
        this.path = path;
    }

    Level level() {
        return level;
    }

    /** NONE to SHARED; waits up to {@code timeoutMs} for a committing writer to finish. */
    void lockShared(long timeoutMs) {
        if (level != Level.NONE) {
            return;
        }
        try {
            if (!locks.lock(owner, SqliteLockLayout.PENDING_BYTE, 1, LockMode.SHARED, timeoutMs)) {
                throw new BusyException("database is locked: " + path + " is being committed by another connection");
            }
            try {
                if (!locks.lock(owner, SqliteLockLayout.SHARED_FIRST, SqliteLockLayout.SHARED_SIZE, LockMode.SHARED, timeoutMs)) {
                    throw new BusyException("database is locked: " + path + " is held exclusively by another connection");
                }
            } finally {
                locks.unlock(owner, SqliteLockLayout.PENDING_BYTE, 1);
            }
            level = Level.SHARED;
        } catch (IOException e) {
            throw ioError("SHARED", e);
        }
    }

    /** SHARED to RESERVED: the one connection about to write. */
    void lockReserved(long timeoutMs) {
        if (level == Level.RESERVED || level == Level.EXCLUSIVE) {
            return;
        }
        try {
            if (!locks.lock(owner, SqliteLockLayout.RESERVED_BYTE, 1, LockMode.EXCLUSIVE, timeoutMs)) {
                throw new BusyException("database is locked: another connection is writing " + path);
            }
            level = Level.RESERVED;
        } catch (IOException e) {
            throw ioError("RESERVED", e);
        }
    }

    /** RESERVED to EXCLUSIVE: waits up to {@code timeoutMs} for the readers of other connections to leave. */
    void lockExclusive(long timeoutMs) {
        if (level == Level.EXCLUSIVE) {
            return;
        }
        try {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            if (!locks.lock(owner, SqliteLockLayout.PENDING_BYTE, 1, LockMode.EXCLUSIVE, timeoutMs)) {
                throw new BusyException("database is locked: " + path + " (PENDING lock busy)");
            }
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            if (!locks.lock(owner, SqliteLockLayout.SHARED_FIRST, SqliteLockLayout.SHARED_SIZE, LockMode.EXCLUSIVE, left)) {
                locks.unlock(owner, SqliteLockLayout.PENDING_BYTE, 1);
                throw new BusyException("database is locked: readers of " + path + " did not finish within "
                        + timeoutMs + " ms");
            }
            level = Level.EXCLUSIVE;
        } catch (IOException e) {
            throw ioError("EXCLUSIVE", e);
        }
    }

    /** Back to SHARED from RESERVED or EXCLUSIVE. */
    void downgradeToShared() {
        if (level == Level.NONE || level == Level.SHARED) {
            return;
        }
        try {
            if (level == Level.EXCLUSIVE) {
                locks.lock(owner, SqliteLockLayout.SHARED_FIRST, SqliteLockLayout.SHARED_SIZE, LockMode.SHARED, 0);
                locks.unlock(owner, SqliteLockLayout.PENDING_BYTE, 1);
            }
            locks.unlock(owner, SqliteLockLayout.RESERVED_BYTE, 1);
            level = Level.SHARED;
        } catch (IOException e) {
            throw ioError("SHARED (downgrade)", e);
        }
    }

    /** Releases everything. */
    void unlock() {
        try {
            locks.unlockAll(owner);
        } catch (IOException e) {
            throw ioError("unlock", e);
        } finally {
            level = Level.NONE;
        }
    }

    /** Whether another connection holds RESERVED or more (a journal it is writing is not hot). */
    boolean reservedByOther() {
        if (level == Level.RESERVED || level == Level.EXCLUSIVE) {
            return false;
        }
        try {
            if (locks.tryLock(owner, SqliteLockLayout.RESERVED_BYTE, 1, LockMode.EXCLUSIVE)) {
                locks.unlock(owner, SqliteLockLayout.RESERVED_BYTE, 1);
                return false;
            }
            return true;
        } catch (IOException e) {
            throw ioError("RESERVED probe", e);
        }
    }

    private KVException ioError(String what, IOException e) {
        return new KVException(ErrorCode.IOERR, "locking " + path + " (" + what + ") failed: " + e.getMessage(), e);
    }
}
