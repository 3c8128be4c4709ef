package io.snkv.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * POSIX byte-range locks on one file, shared correctly between the owners in this JVM (one owner per open
 * store or connection: any object, compared by identity) and with other processes, SNKV or SQLite.
 *
 * <h2>Semantics</h2>
 * A lock covers the range {@code [offset, offset + length)} and is {@link LockMode#SHARED} or
 * {@link LockMode#EXCLUSIVE}. Many owners, in this JVM and in other processes, may hold a range shared; an
 * exclusive holder is alone on it. Locks are not counted: locking a range twice in the same mode is a
 * no-op, and one {@link #unlock} releases it. {@link #tryLock} answers at once: {@code false} when another
 * owner here or another process holds a conflicting lock. Asking for the other mode on a range the owner
 * holds converts it: an upgrade to exclusive succeeds only if the owner is the only holder anywhere, and
 * otherwise leaves it shared; a downgrade always succeeds (but see the gap below). {@link #lock} retries
 * with SQLite's busy-handler delays (1, 2, 5, 10 ... 100 ms) until its timeout; an unlock in this JVM wakes
 * it at once, another process's unlock is seen at the next retry (an upgrade retried this way goes through
 * the gap below at every attempt).
 *
 * <p>Ranges are fixed names, as SQLite's are: a request whose range overlaps but differs from a range some
 * owner here holds is refused ({@code false}, busy), even if both are shared, and if the requesting owner
 * itself holds that other range it is a programming error ({@link IllegalArgumentException}). This gives
 * exactly SQLite's in-process answers for SQLite's patterns (shared shm locks are always single bytes;
 * multi-byte ranges are only taken exclusive) and keeps the JDK's rule that no two {@code FileLock}s of one
 * JVM overlap.
 *
 * <h2>One OS lock per range per process</h2>
 * POSIX locks belong to the process, not to a descriptor or a thread: two owners in one JVM are
 * indistinguishable to the kernel, and the JDK refuses a second overlapping {@code FileLock} in the same
 * JVM ({@code OverlappingFileLockException}) even on another channel. So the JVM keeps one registry entry
 * per file identity (device, inode), found by {@link #forFile}; handles on the same file, by whatever path,
 * share it. The entry takes the OS lock when the first owner here locks a range and releases it when the
 * last one lets go; shared holders share one OS read lock.
 *
 * <h2>The conversion gap</h2>
 * fcntl converts a lock atomically, but Java has no call for it (a {@code FileLock} cannot be re-locked in
 * another mode, and locking an overlapping range throws). An upgrade or a downgrade therefore releases the
 * OS lock and takes a new one; for that instant another process can lock the range. Other owners in this
 * JVM never see the gap (the registry's monitor is held throughout). If the range cannot be taken back,
 * the call retries for a short while (250 ms) and then throws {@link LockLostException},
 * the owner holding nothing on that range. Under SQLite's protocol nobody can break in: a writer converts
 * the SHARED range to exclusive, and back, only while it holds PENDING exclusive, which stops any new
 * SHARED lock (readers read-lock PENDING first), and only the RESERVED holder may try for EXCLUSIVE. So
 * downgrade the SHARED range before unlocking PENDING and RESERVED, as SQLite does; for the shm, SQLite
 * never converts, and the dead-man switch downgrade is covered in {@link SharedMemory}.
 *
 * <h2>Descriptors: what drops locks</h2>
 * Closing ANY descriptor of the file in this process, by any code, drops every POSIX lock the process
 * holds on it, for all owners, silently (the JDK still believes it holds them). The registry's own lock
 * channel stays open until the last handle closes, and is an {@code AsynchronousFileChannel}, which an
 * interrupted thread cannot close. A store that opens its own {@code FileChannel} on the same file must:
 * <ul>
 * <li>not close it while any owner in the JVM may hold a lock on the file: pass it to
 *     {@link #closeWhenUnlocked} instead of closing it (SQLite's deferred close of unused descriptors);</li>
 * <li>keep interrupted threads off it, or treat {@code ClosedByInterruptException} as the loss of every
 *     lock on the file: an interrupted thread doing I/O on a {@code FileChannel} makes the JDK close it
 *     (the cheapest fix is to do the channel I/O through a private executor, as {@link SharedMemory} does
 *     for its rare calls);</li>
 * <li>never lock through it, nor let other code in the JVM lock the file.</li>
 * </ul>
 * Files whose locks this class manages must not be renamed over or deleted and recreated while open (as
 * for SQLite): the identity is read from the path.
 *
 * <h2>Threading</h2>
 * Thread-safe. An owner may be used from several threads; its lock state is simply the last call's result.
 * An owner locks through one handle. Each handle is {@link AutoCloseable}; closing it releases the locks
 * its owners hold, and the last
 * handle on a file closes the lock channel and any descriptors given to {@link #closeWhenUnlocked}.
 * Handles are POSIX-oriented (Linux, macOS); Windows' LockFileEx has other rules.
 */
public final class ByteRangeLocks implements AutoCloseable {
    private final InodeLocks inode;
    private final Set<Object> owners = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private ByteRangeLocks(InodeLocks inode) {
        this.inode = inode;
    }

    /** A handle on an existing file's locks. */
    public static ByteRangeLocks forFile(Path path) throws IOException {
        return forFile(path, false);
    }

    /**
     * A handle on a file's locks. The file is opened read-write when permitted, else read-only (then only
     * shared locks are possible).
     *
     * @param create create the file if missing (the {@code -shm} file)
     */
    public static ByteRangeLocks forFile(Path path, boolean create) throws IOException {
        return new ByteRangeLocks(InodeRegistry.acquire(path, create));
    }

    /** The absolute path the file was first opened by in this JVM. */
    public Path path() {
        return inode.path;
    }

    /**
     * One attempt, no waiting (except the conversion gap, see the class comment).
     *
     * @return whether {@code owner} now holds the range in {@code mode}; on {@code false} its previous
     *         state on the range is unchanged
     * @throws LockLostException a conversion lost the range to another process
     */
    public boolean tryLock(Object owner, long offset, long length, LockMode mode) throws IOException {
        InodeLocks.Range r = new InodeLocks.Range(offset, length);
        ensureOpen();
        try {
            return inode.tryLock(owner, r, mode);
        } finally {
            settle(owner);
        }
    }

    /**
     * Like {@link #tryLock}, retrying until {@code timeoutMillis} has passed (0: one attempt).
     *
     * @return {@code false} when the timeout ran out
     * @throws java.io.InterruptedIOException the waiting thread was interrupted (its flag is set again)
     */
    public boolean lock(Object owner, long offset, long length, LockMode mode, long timeoutMillis)
            throws IOException {
        InodeLocks.Range r = new InodeLocks.Range(offset, length);
        ensureOpen();
        try {
            return inode.lock(owner, r, mode, timeoutMillis);
        } finally {
            settle(owner);
        }
    }

    /** @return whether {@code owner} held the range (else nothing happens) */
    public boolean unlock(Object owner, long offset, long length) throws IOException {
        try {
            return inode.unlock(owner, new InodeLocks.Range(offset, length));
        } finally {
            settle(owner);
        }
    }

    /** Releases every range {@code owner} holds on this file. */
    public void unlockAll(Object owner) throws IOException {
        try {
            inode.unlockAll(owner);
        } finally {
            settle(owner);
        }
    }

    /** The mode {@code owner} holds exactly this range in, if any. */
    public Optional<LockMode> heldMode(Object owner, long offset, long length) {
        return inode.heldMode(owner, new InodeLocks.Range(offset, length));
    }

    /**
     * Closes {@code descriptor}, another channel on this same file, once no owner in this JVM holds any
     * lock on the file (at once if none does), or when the last handle closes. Use it instead of closing a
     * data channel whose close would drop other owners' locks.
     */
    public void closeWhenUnlocked(Closeable descriptor) throws IOException {
        inode.closeWhenUnlocked(descriptor);
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(inode.path + ": lock handle is closed");
        }
    }

    /**
     * Records whether {@code owner} holds anything through this handle, after each call: owners holding
     * nothing are not kept (a long-lived handle may see many short-lived owners), and a lock that raced
     * with {@link #close} is undone.
     */
    private void settle(Object owner) throws IOException {
        synchronized (this) {
            if (!inode.holdsAny(owner)) {
                owners.remove(owner);
                return;
            }
            if (!closed) {
                owners.add(owner);
                return;
            }
        }
        inode.unlockAll(owner);
        throw new IllegalStateException(inode.path + ": lock handle was closed during the call");
    }

    /** Releases the locks taken through this handle; the last handle on the file closes its descriptors. */
    @Override
    public void close() throws IOException {
        List<Object> mine;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            mine = new ArrayList<>(owners);
            owners.clear();
        }
        IOException failure = null;
        for (Object owner : mine) {
            try {
                inode.unlockAll(owner);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            InodeRegistry.release(inode);
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
