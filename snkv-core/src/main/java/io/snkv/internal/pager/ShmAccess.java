package io.snkv.internal.pager;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Memory shared between the processes that use one WAL-mode database: the wal-index, in
 * {@link WalIndexFormat#REGION_SIZE} regions numbered from 0, addressed by offset from the start of
 * region 0. Integers are in the host's byte order.
 *
 * <p>{@code getInt}, {@code putInt}, {@code getU16} and {@code putU16} are single atomic accesses at
 * aligned offsets; a get has acquire and a put release ordering, so a reader that sees a hash slot also
 * sees the page number stored before it. The bulk calls are plain copies and may tear under a
 * concurrent writer; the wal-index guards those (the header) with two copies and a checksum. A bulk
 * call stays within one region.
 *
 * <p>Implementations are safe for concurrent use by threads; what the bytes mean, and who may write
 * which of them when, is the wal-index protocol's business (SQLite's WAL locks), not this interface's.
 */
interface ShmAccess extends AutoCloseable {

    /** The shared file, or a name for memory that has none (used in error messages). */
    Path path();

    boolean isReadOnly();

    /** Regions available now (mapped, or allocated). */
    int regionCount();

    /**
     * Makes regions {@code 0..count-1} available, growing the file with zeros if it is shorter.
     *
     * @throws IOException when the file cannot grow or be mapped, or is read-only and too short
     */
    void ensureRegions(int count) throws IOException;

    int getInt(long offset);

    void putInt(long offset, int value);

    /** An unsigned 16-bit value. */
    int getU16(long offset);

    void putU16(long offset, int value);

    void read(long offset, byte[] dst, int dstOff, int len);

    void write(long offset, byte[] src, int srcOff, int len);

    void zero(long offset, int len);

    /** A full memory barrier (SQLite's xShmBarrier). */
    void fence();

    @Override
    void close() throws IOException;
}
