package io.snkv.internal.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One open file. Positional reads and writes only (no shared file pointer), so concurrent readers need
 * no lock; the callers serialise writes.
 */
public interface StorageFile extends AutoCloseable {
    Path path();

    /**
     * Reads up to {@code len} bytes at {@code pos}.
     *
     * @return bytes read; fewer than {@code len} only at the end of the file
     */
    int read(long pos, byte[] buf, int off, int len) throws IOException;

    void write(long pos, byte[] buf, int off, int len) throws IOException;

    long size() throws IOException;

    void truncate(long size) throws IOException;

    /** fsync: data (and the size) reach stable storage. */
    void sync() throws IOException;

    @Override
    void close() throws IOException;
}
