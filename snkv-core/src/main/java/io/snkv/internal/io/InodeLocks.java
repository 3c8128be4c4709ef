package io.snkv.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The locks this JVM holds on one file (one inode), shared by every {@link ByteRangeLocks} handle on it:
 * SQLite's {@code unixInodeInfo}. It owns the one channel the OS locks are taken through, knows which
 * owner holds which range in which mode, and takes an OS lock on a range when the first owner in this JVM
 * locks it and releases it when the last one lets go.
 *
 * <p>State, guarded by this object's monitor: {@code held} maps each range some owner holds to its
 * holders and the {@link FileLock} that holds it at the OS level. A range in {@code held} always has at
 * least one holder and an OS lock in the strongest mode any holder has. Ranges in {@code held} never
 * overlap one another (a request overlapping a different held range is refused), so the JDK's own rule
 * (no two overlapping {@code FileLock}s in one JVM) is never hit.
 *
 * <p>The channel is an {@link AsynchronousFileChannel} on purpose: unlike {@code FileChannel} it is not
 * an {@code InterruptibleChannel}, so no call on it, by an interrupted thread or not, can make the JDK
 * close it (which would drop every lock of the process on the file). ({@code FileChannel.tryLock} and
 * {@code FileLock.release} happen not to be interruptible either, but the blocking {@code lock}, and every
 * read, write, size or map, are; this channel makes the guarantee structural.) Its {@code tryLock} and
 * {@code FileLock.release} run on the calling thread, without a thread pool.
 */
final class InodeLocks {
    /** Waits between attempts on a range another process holds: SQLite's busy-handler schedule, in ms. */
    private static final int[] RETRY_DELAYS_MS = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
    /** How long an upgrade or downgrade keeps trying to get back the range it released (the gap). */
    static final long REACQUIRE_MILLIS = 250;

    final Object key;
    final Path path;
    private final AsynchronousFileChannel channel;
    private final boolean writable;
    /** Handles open on this inode; guarded by {@link InodeRegistry}'s lock. */
    int handles;

    private final Map<Range, Holders> held = new HashMap<>();
    private final List<Closeable> closeWhenUnlocked = new ArrayList<>();
    private boolean closed;

    InodeLocks(Object key, Path path, AsynchronousFileChannel channel, boolean writable) {
        this.key = key;
        this.path = path;
        this.channel = channel;
        this.writable = writable;
    }

    record Range(long offset, long length) {
        Range {
            if (offset < 0 || length < 1 || offset > Long.MAX_VALUE - length) {
                throw new IllegalArgumentException("bad lock range: offset " + offset + ", length " + length);
            }
        }

        boolean overlaps(Range o) {
            return offset < o.offset + o.length && o.offset < offset + length;
        }

        @Override
        public String toString() {
            return "[" + offset + ", " + (offset + length) + ")";
        }
    }

    private static final class Holders {
        FileLock os;
        Object exclusive;
        final Set<Object> shared = Collections.newSetFromMap(new IdentityHashMap<>());

        Holders(FileLock os) {
            this.os = os;
        }

        LockMode modeOf(Object owner) {
            if (exclusive == owner) {
                return LockMode.EXCLUSIVE;
            }
            return shared.contains(owner) ? LockMode.SHARED : null;
        }

        void add(Object owner, LockMode mode) {
            if (mode == LockMode.EXCLUSIVE) {
                exclusive = owner;
            } else {
                shared.add(owner);
            }
        }

        boolean isEmpty() {
            return exclusive == null && shared.isEmpty();
        }
    }

    synchronized boolean tryLock(Object owner, Range r, LockMode mode) throws IOException {
        ensureOpen();
        return attempt(owner, r, mode);
    }

    synchronized boolean lock(Object owner, Range r, LockMode mode, long timeoutMillis) throws IOException {
        ensureOpen();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        int attempts = 0;
        while (true) {
            if (attempt(owner, r, mode)) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            long delay = TimeUnit.MILLISECONDS.toNanos(RETRY_DELAYS_MS[Math.min(attempts++, RETRY_DELAYS_MS.length - 1)]);
            try {
                // Releases the monitor; an unlock in this JVM wakes us early, another process is polled.
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(delay, remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(path + ": interrupted waiting for a lock on bytes " + r);
            }
            ensureOpen();
        }
    }

    /** One non-blocking attempt. Caller holds the monitor. */
    private boolean attempt(Object owner, Range r, LockMode mode) throws IOException {
        boolean conflict = false;
        for (Map.Entry<Range, Holders> e : held.entrySet()) {
            Range other = e.getKey();
            if (!other.equals(r) && other.overlaps(r)) {
                if (e.getValue().modeOf(owner) != null) {
                    throw new IllegalArgumentException(path + ": owner holds bytes " + other
                            + ", which overlap but differ from the requested " + r);
                }
                conflict = true;
            }
        }
        if (conflict) {
            return false;
        }
        Holders h = held.get(r);
        if (h == null) {
            FileLock os = osTryLock(r, mode);
            if (os == null) {
                return false;
            }
            h = new Holders(os);
            h.add(owner, mode);
            held.put(r, h);
            return true;
        }
        LockMode current = h.modeOf(owner);
        if (current == mode) {
            return true;
        }
        if (mode == LockMode.SHARED) {
            if (current == LockMode.EXCLUSIVE) {
                downgrade(owner, r, h);
                return true;
            }
            if (h.exclusive != null) {
                return false;
            }
            h.shared.add(owner); // the OS read lock is already ours
            return true;
        }
        if (current == null || h.shared.size() > 1) {
            return false; // another owner in this JVM holds it
        }
        return upgrade(owner, r, h);
    }

    /** Sole SHARED holder in this JVM wants EXCLUSIVE. Returns false, still SHARED, when another process shares it. */
    private boolean upgrade(Object owner, Range r, Holders h) throws IOException {
        h.os.release(); // the gap opens: Java cannot convert a lock in place
        h.os = null;
        FileLock exclusive;
        try {
            exclusive = osTryLock(r, LockMode.EXCLUSIVE);
        } catch (IOException | RuntimeException e) {
            restoreShared(owner, r, h, "upgrade failed: " + e);
            throw e;
        }
        if (exclusive != null) {
            h.os = exclusive;
            h.shared.remove(owner);
            h.exclusive = owner;
            return true;
        }
        restoreShared(owner, r, h, "shared lock could not be taken back after a failed upgrade");
        return false;
    }

    /** Sole EXCLUSIVE holder wants SHARED. */
    private void downgrade(Object owner, Range r, Holders h) throws IOException {
        h.os.release(); // the gap opens
        h.os = null;
        h.exclusive = null;
        h.shared.add(owner);
        restoreShared(owner, r, h, "shared lock could not be taken after releasing the exclusive one");
        notifyAll(); // other owners in this JVM may share it now
    }

    private void restoreShared(Object owner, Range r, Holders h, String what) throws IOException {
        FileLock back = reacquireShared(r);
        if (back != null) {
            h.os = back;
            return;
        }
        held.remove(r);
        notifyAll();
        closePendingIfUnlocked();
        throw new LockLostException(path, r.offset(), r.length(), what + " within " + REACQUIRE_MILLIS + " ms");
    }

    /**
     * Retries a shared lock for a short while, holding the monitor (other threads of this JVM wait on this
     * file meanwhile; this only runs when another process broke into the gap).
     */
    private FileLock reacquireShared(Range r) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REACQUIRE_MILLIS);
        boolean interrupted = false;
        try {
            for (int i = 0; ; i++) {
                FileLock fl = osTryLock(r, LockMode.SHARED);
                if (fl != null || System.nanoTime() - deadline >= 0) {
                    return fl;
                }
                try {
                    Thread.sleep(RETRY_DELAYS_MS[Math.min(i, RETRY_DELAYS_MS.length - 1)]);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private FileLock osTryLock(Range r, LockMode mode) throws IOException {
        if (mode == LockMode.EXCLUSIVE && !writable) {
            throw new AccessDeniedException(path.toString(), null,
                    "opened read-only, and an exclusive lock needs write access");
        }
        try {
            return channel.tryLock(r.offset(), r.length(), mode == LockMode.SHARED);
        } catch (OverlappingFileLockException e) {
            throw new IOException(path + ": bytes " + r + " are locked by other code in this JVM, outside"
                    + " ByteRangeLocks; every lock on this file must go through it", e);
        }
    }

    synchronized boolean unlock(Object owner, Range r) throws IOException {
        Holders h = held.get(r);
        if (h == null || closed) {
            return false;
        }
        LockMode m = h.modeOf(owner);
        if (m == null) {
            return false;
        }
        if (m == LockMode.EXCLUSIVE) {
            h.exclusive = null;
        } else {
            h.shared.remove(owner);
        }
        if (h.isEmpty()) {
            held.remove(r);
            try {
                h.os.release();
            } finally {
                closePendingIfUnlocked();
            }
        }
        notifyAll();
        return true;
    }

    synchronized void unlockAll(Object owner) throws IOException {
        IOException failure = null;
        for (Range r : new ArrayList<>(held.keySet())) {
            try {
                unlock(owner, r);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    synchronized Optional<LockMode> heldMode(Object owner, Range r) {
        Holders h = held.get(r);
        return h == null ? Optional.empty() : Optional.ofNullable(h.modeOf(owner));
    }

    synchronized boolean holdsAny(Object owner) {
        for (Holders h : held.values()) {
            if (h.modeOf(owner) != null) {
                return true;
            }
        }
        return false;
    }

    /** Closes {@code c} now if this JVM holds no lock on the file, else when it last lets go of one. */
    void closeWhenUnlocked(Closeable c) throws IOException {
        synchronized (this) {
            if (!closed) {
                if (held.isEmpty()) {
                    c.close();
                } else {
                    closeWhenUnlocked.add(c);
                }
                return;
            }
        }
        // This entry is gone, but the file may have been opened again since: defer to that entry, if any.
        InodeRegistry.closeWhenUnlocked(key, c);
    }

    private void closePendingIfUnlocked() {
        if (!held.isEmpty()) {
            return;
        }
        for (Iterator<Closeable> it = closeWhenUnlocked.iterator(); it.hasNext(); ) {
            Closeable c = it.next();
            it.remove();
            try {
                c.close();
            } catch (IOException ignored) {
                // The descriptor is released even when close reports an error; no lock is at stake now.
            }
        }
    }

    /** Called by the registry when the last handle closes: drops every lock and closes every descriptor. */
    synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        held.clear();
        try {
            channel.close(); // releases whatever OS locks are left
        } finally {
            closePendingIfUnlocked();
            notifyAll();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
