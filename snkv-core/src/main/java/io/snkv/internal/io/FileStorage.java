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
        return new ChannelFile(path, FileChannel.open(path, opts));
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

    private static final class ChannelFile implements StorageFile {
        private final Path path;
        private final FileChannel ch;

        ChannelFile(Path path, FileChannel ch) {
            this.path = path;
            this.ch = ch;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public int read(long pos, byte[] buf, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
            int total = 0;
            while (bb.hasRemaining()) {
                int n = ch.read(bb, pos + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        }

        @Override
        public void write(long pos, byte[] buf, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
            long p = pos;
            while (bb.hasRemaining()) {
                p += ch.write(bb, p);
            }
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            ch.truncate(size);
        }

        @Override
        public void sync() throws IOException {
            ch.force(true);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
