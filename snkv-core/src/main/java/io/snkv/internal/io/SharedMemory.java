package io.snkv.internal.io;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The {@code <db>-shm} wal-index file, memory-mapped READ_WRITE in regions of {@value #REGION_SIZE} bytes,
 * so that every process using the database sees the same bytes: SQLite's {@code unixShmMap}.
 *
 * <h2>Layout and access</h2>
 * Offsets are byte offsets from the start of the file. Values are in the machine's native byte order, as
 * SQLite's wal-index is (it is never copied between machines). Ints used for synchronisation go through
 * the volatile and atomic accessors ({@link #getIntVolatile}, {@link #setIntVolatile}, {@link #getAndAdd},
 * {@link #compareAndSet}), which are atomic across processes because they compile to the processor's
 * atomic instructions on the shared page; they need a 4-byte-aligned offset. Everything else uses the plain
 * accessors, ordered by the caller's locks or by {@link #fullFence}. A value may not straddle two regions;
 * byte arrays may.
 *
 * <h2>Regions and growth</h2>
 * {@link #mapRegion} maps region {@code i} (and every region below it). With {@code extend} it grows a
 * shorter file first, writing one zero byte at the end of each new 4 KiB page, as SQLite does, so the
 * file system allocates the blocks now: a sparse page that cannot be allocated later would be a SIGBUS
 * inside the JVM. It only ever writes past the size it saw, never over content, but two processes growing
 * the file at once could still write a zero over a byte the other has just set at the end of a page:
 * growth must be serialised by the caller's protocol (in SQLite only the WAL writer or a recovering
 * connection, both holding exclusive locks, grow the wal-index).
 *
 * <h2>Truncation and the dead-man switch</h2>
 * A mapping of bytes beyond the end of the file faults when touched (the JDK turns the SIGBUS into an
 * {@code InternalError}). So, SQLite's rule: the file is truncated only by the holder of the DMS byte
 * ({@link SqliteLockLayout#SHM_DMS}) exclusive, that is by the first user after everyone else has gone, and
 * every user holds DMS shared for as long as it keeps mappings. {@link #acquireDeadManSwitch} does this
 * dance; {@link #truncate} is the reset it uses.
 *
 * <h2>Descriptors</h2>
 * The mapping channel is a second descriptor on the {@code -shm} file, whose locks the
 * {@link ByteRangeLocks} handle takes; it is closed through {@link ByteRangeLocks#closeWhenUnlocked}, and
 * every call on it runs on a private thread, so that neither {@link #close} nor an interrupted caller can
 * drop this process's shm locks.
 *
 * <h2>Threading</h2>
 * Thread-safe. Mapping, growing and truncating are serialised on this object; accessors take no lock.
 * Closing drops the mappings from this object (the JDK unmaps them when collected); accessors then throw
 * {@link IllegalStateException}.
 */
public final class SharedMemory implements AutoCloseable {
    /** Bytes per region: SQLite's wal-index page (4096 page numbers and 8192 hash slots). */
    public static final int REGION_SIZE = 32 * 1024;
    private static final int OS_PAGE = 4096;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private final ByteRangeLocks locks;
    private final FileChannel channel;
    private volatile ByteBuffer[] regions = new ByteBuffer[0];
    private volatile boolean closed;

    private SharedMemory(ByteRangeLocks locks, FileChannel channel) {
        this.locks = locks;
        this.channel = channel;
    }

    /**
     * Opens the file {@code shmLocks} locks (creating it if missing) for mapping. Maps nothing and takes no
     * lock; {@code shmLocks} must stay open at least as long as this.
     */
    public static SharedMemory open(ByteRangeLocks shmLocks) throws IOException {
        FileChannel ch = FileChannel.open(shmLocks.path(),
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        return new SharedMemory(shmLocks, ch);
    }

    /**
     * Takes the dead-man switch shared for {@code owner}, first resetting the file if nobody else (in any
     * process) uses it: try DMS exclusive; if that works, this is the first user, the content is left over
     * from a crash or an old run, so truncate it and downgrade to shared. Otherwise take DMS shared, which
     * fails only while another first user holds it exclusive (then retry later). SQLite asks the kernel
     * who holds the byte (F_GETLK), which Java cannot; trying exclusive first gives the same answers. The
     * downgrade gap is harmless: anyone slipping in finds the file just truncated, truncates it again, and
     * we get shared when it downgrades (or {@link LockLostException} if it keeps DMS exclusive).
     *
     * @return whether {@code owner} holds DMS shared now (already holding it counts)
     */
    public boolean acquireDeadManSwitch(Object owner) throws IOException {
        if (locks.heldMode(owner, SqliteLockLayout.SHM_DMS, 1).isPresent()) {
            return locks.tryLock(owner, SqliteLockLayout.SHM_DMS, 1, LockMode.SHARED);
        }
        if (locks.tryLock(owner, SqliteLockLayout.SHM_DMS, 1, LockMode.EXCLUSIVE)) {
            try {
                truncate();
            } catch (IOException | RuntimeException e) {
                locks.unlock(owner, SqliteLockLayout.SHM_DMS, 1);
                throw e;
            }
            return locks.tryLock(owner, SqliteLockLayout.SHM_DMS, 1, LockMode.SHARED);
        }
        return locks.tryLock(owner, SqliteLockLayout.SHM_DMS, 1, LockMode.SHARED);
    }

    /**
     * Maps regions {@code 0..region}.
     *
     * @param extend grow the file if it is too short (zero-filled); else report {@code false}
     * @return whether the region is mapped now
     */
    public synchronized boolean mapRegion(int region, boolean extend) throws IOException {
        if (region < 0) {
            throw new IllegalArgumentException("region " + region);
        }
        ensureOpen();
        ByteBuffer[] current = regions;
        if (region < current.length) {
            return true;
        }
        long need = (long) (region + 1) * REGION_SIZE;
        long size = Uninterruptible.call(channel::size);
        if (size < need) {
            if (!extend) {
                return false;
            }
            grow(size, need);
        }
        ByteBuffer[] next = Arrays.copyOf(current, region + 1);
        for (int i = current.length; i <= region; i++) {
            long pos = (long) i * REGION_SIZE;
            next[i] = Uninterruptible.call(() -> channel.map(FileChannel.MapMode.READ_WRITE, pos, REGION_SIZE))
                    .order(ByteOrder.nativeOrder());
        }
        regions = next;
        return true;
    }

    private void grow(long size, long need) throws IOException {
        Uninterruptible.run(() -> {
            for (long page = size / OS_PAGE; page < need / OS_PAGE; page++) {
                ByteBuffer zero = ByteBuffer.allocate(1);
                long pos = page * OS_PAGE + OS_PAGE - 1;
                while (zero.hasRemaining()) {
                    channel.write(zero, pos);
                }
            }
        });
    }

    /** Regions mapped by this object. */
    public int regionCount() {
        return regions.length;
    }

    /** The file's current size. */
    public long fileSize() throws IOException {
        ensureOpen();
        return Uninterruptible.call(channel::size);
    }

    /**
     * Truncates the file to zero bytes and forgets every mapping. Only the holder of DMS exclusive may
     * call it (see the class comment): anyone else still mapping the file would fault.
     */
    public synchronized void truncate() throws IOException {
        ensureOpen();
        regions = new ByteBuffer[0];
        Uninterruptible.run(() -> channel.truncate(0));
    }

    public int getIntVolatile(long offset) {
        return (int) INT.getVolatile(buffer(offset, 4), within(offset));
    }

    public void setIntVolatile(long offset, int value) {
        INT.setVolatile(buffer(offset, 4), within(offset), value);
    }

    /** Atomically adds {@code delta}; returns the previous value. */
    public int getAndAdd(long offset, int delta) {
        return (int) INT.getAndAdd(buffer(offset, 4), within(offset), delta);
    }

    /** Atomically sets {@code update} if the value is {@code expect}. */
    public boolean compareAndSet(long offset, int expect, int update) {
        return INT.compareAndSet(buffer(offset, 4), within(offset), expect, update);
    }

    /** Plain read of a u32 (its 32 bits as an int; {@link Integer#toUnsignedLong} for the number). */
    public int getInt(long offset) {
        return (int) INT.get(buffer(offset, 4), within(offset));
    }

    /** Plain write of a u32. */
    public void setInt(long offset, int value) {
        INT.set(buffer(offset, 4), within(offset), value);
    }

    /** Plain read of a u16 (0..65535). */
    public int getU16(long offset) {
        return Short.toUnsignedInt((short) SHORT.get(buffer(offset, 2), within(offset)));
    }

    /** Plain write of a u16 (its low 16 bits). */
    public void setU16(long offset, int value) {
        SHORT.set(buffer(offset, 2), within(offset), (short) value);
    }

    /** Plain read of {@code len} bytes; may span regions (all mapped). */
    public void getBytes(long offset, byte[] dst, int dstOff, int len) {
        java.util.Objects.checkFromIndexSize(dstOff, len, dst.length);
        while (len > 0) {
            int n = Math.min(len, REGION_SIZE - within(offset));
            buffer(offset, n, false).get(within(offset), dst, dstOff, n);
            offset += n;
            dstOff += n;
            len -= n;
        }
    }

    /** Plain write of {@code len} bytes; may span regions (all mapped). */
    public void setBytes(long offset, byte[] src, int srcOff, int len) {
        java.util.Objects.checkFromIndexSize(srcOff, len, src.length);
        while (len > 0) {
            int n = Math.min(len, REGION_SIZE - within(offset));
            buffer(offset, n, false).put(within(offset), src, srcOff, n);
            offset += n;
            srcOff += n;
            len -= n;
        }
    }

    /** A full memory fence: no load or store moves across it (SQLite's {@code xShmBarrier}). */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    private static int within(long offset) {
        return (int) (offset % REGION_SIZE);
    }

    /** The region holding {@code [offset, offset + width)}; values of 2 and 4 bytes must be aligned. */
    private ByteBuffer buffer(long offset, int width) {
        return buffer(offset, width, true);
    }

    private ByteBuffer buffer(long offset, int width, boolean value) {
        if (offset < 0) {
            throw new IndexOutOfBoundsException("shm offset " + offset);
        }
        int within = within(offset);
        if (value && (within % width) != 0) {
            throw new IllegalArgumentException("shm offset " + offset + " is not " + width + "-byte aligned");
        }
        if (within + width > REGION_SIZE) {
            throw new IllegalArgumentException("shm bytes [" + offset + ", " + (offset + width) + ") span two regions");
        }
        ByteBuffer[] current = regions;
        long region = offset / REGION_SIZE;
        if (region >= current.length) {
            throw new IllegalStateException("shm region " + region + " of " + locks.path() + " is not mapped"
                    + (current.length == 0 ? " (none is: closed, truncated or not yet mapped)" : ""));
        }
        return current[(int) region];
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(locks.path() + ": shared memory is closed");
        }
    }

    /** Forgets the mappings and hands the channel to {@link ByteRangeLocks#closeWhenUnlocked}. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        regions = new ByteBuffer[0];
        locks.closeWhenUnlocked(channel);
    }
}
