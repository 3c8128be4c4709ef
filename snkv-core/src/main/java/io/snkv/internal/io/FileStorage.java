package io.snkv.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/** The real file system, through {@link FileChannel}. */
public final class FileStorage implements Storage {
    public static final FileStorage INSTANCE = new FileStorage();

    private FileStorage() {
    }

    @Override
    public StorageFile open(Path path, boolean readOnly, boolean create) throws IOException {
        Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.READ);
        if (!readOnly) {
            opts.add(StandardOpenOption.WRITE);
            if (create) {
                opts.add(StandardOpenOption.CREATE);
            }
        }
        return new ChannelFile(path, opts);
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // Linux lets a directory be opened for reading and fsynced; elsewhere this may be refused: skip then.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!Files.isDirectory(dir)) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }
    }

    /**
     * One file through a {@link FileChannel}. The JDK closes a channel when a thread blocked in (or
     * entering) its I/O is interrupted; a store must survive its callers' interrupts, so each call runs
     * with the thread's interrupt flag cleared (and set again afterwards), and a channel closed by an
     * interrupt arriving mid-call is reopened and the call repeated.
     */
    private static final class ChannelFile implements StorageFile {
        /**
         * Reads of the file's first whole {@code CHUNK}s go through read-only memory mappings: no system
         * call and no copy through a direct buffer, which halves the cost of a page that misses the
         * page cache. The tail past the last whole chunk, and anything after a mapping fault, is read
         * with pread. Mapped bytes past a later truncation are never touched: the pager's locking
         * protocol keeps every reader inside the pages its snapshot counts, as SQLite's mmap mode relies
         * on too; a fault would still only demote this file to pread.
         */
        private static final int CHUNK = 8 << 20;
        private final Path path;
        private final Set<StandardOpenOption> opts;
        private volatile FileChannel ch;
        private volatile boolean closed;
        private volatile java.nio.MappedByteBuffer[] chunks = new java.nio.MappedByteBuffer[0];
        /** File size as this handle knows it (its own writes and truncations; others' appends read by pread). */
        private volatile long knownSize;
        private volatile boolean mappingBroken;

        ChannelFile(Path path, Set<StandardOpenOption> opts) throws IOException {
            this.path = path;
            this.opts = EnumSet.copyOf(opts);
            this.opts.remove(StandardOpenOption.CREATE);
            this.ch = FileChannel.open(path, opts);
            this.knownSize = ch.size();
        }

        /** Copies from the mappings when {@code [pos, pos+len)} lies inside one mapped chunk. */
        private boolean readMapped(long pos, byte[] buf, int off, int len) {
            if (mappingBroken) {
                return false;
            }
            int ci = (int) (pos / CHUNK);
            int within = (int) (pos % CHUNK);
            if (within + len > CHUNK) {
                return false;
            }
            java.nio.MappedByteBuffer[] cs = chunks;
            if (ci >= cs.length) {
                cs = mapUpTo(ci);
                if (ci >= cs.length) {
                    return false;
                }
            }
            try {
                cs[ci].get(within, buf, off, len);
                return true;
            } catch (InternalError e) {
                // A mapping fault (the file shrank under us): fall back to pread for good.
                mappingBroken = true;
                chunks = new java.nio.MappedByteBuffer[0];
                return false;
            }
        }

        private synchronized java.nio.MappedByteBuffer[] mapUpTo(int ci) {
            java.nio.MappedByteBuffer[] cs = chunks;
            long whole = knownSize / CHUNK;
            if (ci >= whole || closed) {
                return cs;
            }
            java.nio.MappedByteBuffer[] grown = java.util.Arrays.copyOf(cs, (int) whole);
            try {
                for (int i = cs.length; i < whole; i++) {
                    grown[i] = ch.map(FileChannel.MapMode.READ_ONLY, (long) i * CHUNK, CHUNK);
                }
            } catch (IOException | RuntimeException e) {
                mappingBroken = true;
                chunks = new java.nio.MappedByteBuffer[0];
                return chunks;
            }
            chunks = grown;
            return grown;
        }

        /** Forgets mappings past {@code size} (after a truncation). */
        private synchronized void shrinkMappings(long size) {
            knownSize = size;
            int keep = (int) (size / CHUNK);
            if (chunks.length > keep) {
                chunks = java.util.Arrays.copyOf(chunks, keep);
            }
        }

        private interface ChannelCall<T> {
            T call(FileChannel ch) throws IOException;
        }

        private <T> T run(ChannelCall<T> call) throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                for (int attempt = 0; ; attempt++) {
                    FileChannel c = ch;
                    try {
                        return call.call(c);
                    } catch (java.nio.channels.ClosedChannelException e) {
                        if (closed || attempt >= 3) {
                            throw e;
                        }
                        interrupted |= Thread.interrupted();
                        reopen(c);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private synchronized void reopen(FileChannel broken) throws IOException {
            if (ch == broken && !closed) {
                ch = FileChannel.open(path, opts);
            }
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) throws IOException {
            if (pos + len <= knownSize && readMapped(pos, buf, off, len)) {
                return len;
            }
            return run(c -> {
                ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
                int total = 0;
                while (bb.hasRemaining()) {
                    int n = c.read(bb, pos + total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
                return total;
            });
        }

        @Override
        public void write(long pos, byte[] buf, int off, int len) throws IOException {
            long end = pos + len;
            run(c -> {
                ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
                long p = pos;
                while (bb.hasRemaining()) {
                    p += c.write(bb, p);
                }
                return null;
            });
            if (end > knownSize) {
                synchronized (this) {
                    knownSize = Math.max(knownSize, end);
                }
            }
        }

        @Override
        public long size() throws IOException {
            long size = run(FileChannel::size);
            if (size != knownSize) {
                // Another process grew or shrank it.
                if (size < knownSize) {
                    shrinkMappings(size);
                } else {
                    synchronized (this) {
                        knownSize = Math.max(knownSize, size);
                    }
                }
            }
            return size;
        }

        @Override
        public void truncate(long size) throws IOException {
            shrinkMappings(Math.min(size, knownSize));
            run(c -> c.truncate(size));
            synchronized (this) {
                knownSize = size;
            }
        }

        @Override
        public void sync() throws IOException {
            run(c -> {
                c.force(true);
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            synchronized (this) {
                closed = true;
                chunks = new java.nio.MappedByteBuffer[0];
            }
            ch.close();
        }
    }
}
