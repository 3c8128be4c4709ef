package io.snkv.internal.pager;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A wal-index in a file mapped into memory, as SQLite's unix VFS keeps it: {@code <db>-shm}, one
 * {@link FileChannel#map} per 32 KiB region, shared with every other process mapping the same file.
 * Self-contained, for tests and tools that inspect a {@code -shm} (read-only is fine); the store maps
 * its wal-index through {@link io.snkv.internal.io.SharedMemory} and {@link SharedMemoryShm} instead.
 *
 * <p>This class does no locking, and it opens its own descriptor: closing it drops every POSIX lock
 * this process holds on the file (including those {@code ByteRangeLocks} took for other code), so do
 * not use it on a {@code -shm} the store has open. Growing the file is done as SQLite does it, by writing a
 * byte at the end of each new 4 KiB page past the end of the file; callers grow it only under the WAL
 * write lock. Java cannot unmap a buffer: after {@link #close} the mappings live until they are
 * garbage-collected, but this object refuses further access. Thread-safe as {@link ShmAccess} requires.
 */
final class MappedShm implements ShmAccess {
    private static final int REGION = WalIndexFormat.REGION_SIZE;
    private static final int OS_PAGE = 4096;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private volatile MappedByteBuffer[] regions = new MappedByteBuffer[0];

    private MappedShm(Path path, FileChannel channel, boolean readOnly) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
    }

    /**
     * Opens {@code path}, creating it (empty) unless {@code readOnly}. No region is mapped yet.
     */
    static MappedShm open(Path path, boolean readOnly) throws IOException {
        FileChannel ch = readOnly
                ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        return new MappedShm(path, ch, readOnly);
    }

    /** The channel the file is mapped through (for byte-range locks on the same descriptor). */
    FileChannel channel() {
        return channel;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public int regionCount() {
        return regions.length;
    }

    @Override
    public synchronized void ensureRegions(int count) throws IOException {
        MappedByteBuffer[] r = regions;
        if (count <= r.length) {
            return;
        }
        if (!channel.isOpen()) {
            throw new IOException("wal-index " + path + " is closed");
        }
        long need = (long) count * REGION;
        long size = channel.size();
        if (size < need) {
            if (readOnly) {
                throw new IOException("wal-index " + path + " holds " + size + " bytes, " + need
                        + " needed for " + count + " regions, and is open read-only");
            }
            ByteBuffer zero = ByteBuffer.allocate(1);
            for (long end = (size / OS_PAGE + 1) * OS_PAGE; end <= need; end += OS_PAGE) {
                zero.clear();
                channel.write(zero, end - 1);
            }
        }
        MappedByteBuffer[] grown = Arrays.copyOf(r, count);
        FileChannel.MapMode mode = readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE;
        for (int i = r.length; i < count; i++) {
            grown[i] = channel.map(mode, (long) i * REGION, REGION);
        }
        regions = grown;
    }

    private MappedByteBuffer region(long offset, int len) {
        int r = (int) (offset / REGION);
        MappedByteBuffer[] all = regions;
        if (offset < 0 || r >= all.length || (offset % REGION) + len > REGION) {
            throw new IllegalArgumentException("wal-index access at " + offset + " (+" + len + ") outside the "
                    + all.length + " mapped regions of " + path);
        }
        return all[r];
    }

    @Override
    public int getInt(long offset) {
        return (int) INT.getAcquire(region(offset, 4), (int) (offset % REGION));
    }

    @Override
    public void putInt(long offset, int value) {
        INT.setRelease(region(offset, 4), (int) (offset % REGION), value);
    }

    @Override
    public int getU16(long offset) {
        return ((short) SHORT.getAcquire(region(offset, 2), (int) (offset % REGION))) & 0xffff;
    }

    @Override
    public void putU16(long offset, int value) {
        SHORT.setRelease(region(offset, 2), (int) (offset % REGION), (short) value);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        region(offset, len).get((int) (offset % REGION), dst, dstOff, len);
    }

    @Override
    public void write(long offset, byte[] src, int srcOff, int len) {
        region(offset, len).put((int) (offset % REGION), src, srcOff, len);
    }

    @Override
    public void zero(long offset, int len) {
        MappedByteBuffer b = region(offset, len);
        int at = (int) (offset % REGION);
        byte[] zeros = new byte[Math.min(len, 4096)];
        for (int done = 0; done < len; done += zeros.length) {
            b.put(at + done, zeros, 0, Math.min(zeros.length, len - done));
        }
    }

    @Override
    public void fence() {
        VarHandle.fullFence();
    }

    @Override
    public synchronized void close() throws IOException {
        regions = new MappedByteBuffer[0];
        channel.close();
    }
}
