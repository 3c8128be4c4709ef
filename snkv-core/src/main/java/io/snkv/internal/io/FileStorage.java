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
        private final Path path;
        private final Set<StandardOpenOption> opts;
        private volatile FileChannel ch;
        private volatile boolean closed;

        ChannelFile(Path path, Set<StandardOpenOption> opts) throws IOException {
            this.path = path;
            this.opts = EnumSet.copyOf(opts);
            this.opts.remove(StandardOpenOption.CREATE);
            this.ch = FileChannel.open(path, opts);
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
            run(c -> {
                ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
                long p = pos;
                while (bb.hasRemaining()) {
                    p += c.write(bb, p);
                }
                return null;
            });
        }

        @Override
        public long size() throws IOException {
            return run(FileChannel::size);
        }

        @Override
        public void truncate(long size) throws IOException {
            run(c -> c.truncate(size));
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
            closed = true;
            ch.close();
        }
    }
}
