package io.snkv.internal.pager;

import io.snkv.internal.io.SharedMemory;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * {@link ShmAccess} over the io layer's {@link SharedMemory}: the wal-index the way the store maps its
 * {@code -shm}, with the dead-man switch and the shm lock bytes handled by {@link SharedMemory} and
 * {@code ByteRangeLocks}. A view: it neither takes locks nor closes the {@link SharedMemory}.
 *
 * <p>32-bit values go through the volatile accessors. {@link SharedMemory} reads and writes 16-bit
 * values plainly, so the hash-slot store is preceded by a release fence and the load followed by an
 * acquire fence, which gives the ordering {@link ShmAccess} promises (a slot is never seen before the
 * page number stored ahead of it). Thread-safe.
 */
final class SharedMemoryShm implements ShmAccess {
    private static final byte[] ZEROS = new byte[4096];

    private final SharedMemory memory;
    private final Path path;
    private final boolean grow;

    /**
     * @param path the {@code -shm} file, for messages
     * @param grow whether {@link #ensureRegions} may extend a short file (SQLite lets only writers and
     *     recovery do that; a reader finding a region missing gets an {@link IOException})
     */
    SharedMemoryShm(SharedMemory memory, Path path, boolean grow) {
        this.memory = memory;
        this.path = path;
        this.grow = grow;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public int regionCount() {
        return memory.regionCount();
    }

    @Override
    public void ensureRegions(int count) throws IOException {
        if (count > memory.regionCount() && !memory.mapRegion(count - 1, grow)) {
            throw new IOException("wal-index " + path + " has no region " + (count - 1));
        }
    }

    @Override
    public int getInt(long offset) {
        return memory.getIntVolatile(offset);
    }

    @Override
    public void putInt(long offset, int value) {
        memory.setIntVolatile(offset, value);
    }

    @Override
    public int getU16(long offset) {
        int v = memory.getU16(offset);
        VarHandle.acquireFence();
        return v;
    }

    @Override
    public void putU16(long offset, int value) {
        VarHandle.releaseFence();
        memory.setU16(offset, value);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        memory.getBytes(offset, dst, dstOff, len);
    }

    @Override
    public void write(long offset, byte[] src, int srcOff, int len) {
        memory.setBytes(offset, src, srcOff, len);
    }

    @Override
    public void zero(long offset, int len) {
        for (int done = 0; done < len; done += ZEROS.length) {
            memory.setBytes(offset + done, ZEROS, 0, Math.min(ZEROS.length, len - done));
        }
    }

    @Override
    public void fence() {
        SharedMemory.fullFence();
    }

    /** Leaves the {@link SharedMemory} open: its owner closes it. */
    @Override
    public void close() {
    }
}
