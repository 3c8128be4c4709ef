package io.snkv.internal.pager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A wal-index in this process's heap: for tests, and for a database that only one process uses (SQLite's
 * heap-memory mode under {@code locking_mode=EXCLUSIVE}). Thread-safe as {@link ShmAccess} requires.
 */
final class HeapShm implements ShmAccess {
    private static final int REGION = WalIndexFormat.REGION_SIZE;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private final Path name;
    private volatile byte[][] regions = new byte[0][];

    HeapShm() {
        this(Path.of("heap-shm"));
    }

    HeapShm(Path name) {
        this.name = name;
    }

    /** A heap copy of {@code other}'s regions (a snapshot, for comparisons in tests and tools). */
    static HeapShm copyOf(ShmAccess other) throws java.io.IOException {
        HeapShm h = new HeapShm(Path.of("copy of " + other.path()));
        int n = other.regionCount();
        h.ensureRegions(n);
        for (int r = 0; r < n; r++) {
            other.read((long) r * REGION, h.regions[r], 0, REGION);
        }
        return h;
    }

    @Override
    public Path path() {
        return name;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public int regionCount() {
        return regions.length;
    }

    @Override
    public synchronized void ensureRegions(int count) {
        byte[][] r = regions;
        if (count > r.length) {
            byte[][] grown = Arrays.copyOf(r, count);
            for (int i = r.length; i < count; i++) {
                grown[i] = new byte[REGION];
            }
            regions = grown;
        }
    }

    private byte[] region(long offset, int len) {
        int r = (int) (offset / REGION);
        byte[][] all = regions;
        if (offset < 0 || r >= all.length || (offset % REGION) + len > REGION) {
            throw new IllegalArgumentException("wal-index access at " + offset + " (+" + len + ") outside "
                    + all.length + " regions of " + name);
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
        System.arraycopy(region(offset, len), (int) (offset % REGION), dst, dstOff, len);
    }

    @Override
    public void write(long offset, byte[] src, int srcOff, int len) {
        System.arraycopy(src, srcOff, region(offset, len), (int) (offset % REGION), len);
    }

    @Override
    public void zero(long offset, int len) {
        int at = (int) (offset % REGION);
        Arrays.fill(region(offset, len), at, at + len, (byte) 0);
    }

    @Override
    public void fence() {
        VarHandle.fullFence();
    }

    @Override
    public void close() {
        regions = new byte[0][];
    }
}
