package io.snkv.internal.io;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JVM-wide table of {@link InodeLocks}, one per open file, keyed by the file's identity (device and
 * inode number, from {@link BasicFileAttributes#fileKey()}; the real path where a file system has no
 * key). Two paths naming one file (a hard link, {@code ./x} and {@code x}) share one entry, as POSIX locks
 * do. Counts handles; the entry and its channel go away with the last one.
 */
final class InodeRegistry {
    private static final Map<Object, InodeLocks> OPEN = new HashMap<>();

    private InodeRegistry() {
    }

    static synchronized InodeLocks acquire(Path path, boolean create) throws IOException {
        Path abs = path.toAbsolutePath();
        for (int attempt = 0; ; attempt++) {
            Object before = keyOrNull(abs);
            if (before != null) {
                InodeLocks known = OPEN.get(before);
                if (known != null) {
                    known.handles++;
                    return known;
                }
            }
            boolean writable = true;
            AsynchronousFileChannel ch;
            try {
                ch = open(abs, true, create);
            } catch (AccessDeniedException e) {
                if (!Files.exists(abs)) {
                    throw e;
                }
                writable = false;
                ch = open(abs, false, false);
            }
            Object after = key(abs);
            InodeLocks known = OPEN.get(after);
            if (known != null) {
                // Created or replaced under us and already ours: the new descriptor may be on that file,
                // so closing it now could drop its locks.
                known.closeWhenUnlocked(ch);
                known.handles++;
                return known;
            }
            if (before == null || before.equals(after)) {
                InodeLocks inode = new InodeLocks(after, abs, ch, writable);
                inode.handles = 1;
                OPEN.put(after, inode);
                return inode;
            }
            ch.close(); // replaced while opening; neither file is in use here, so closing is harmless
            if (attempt >= 3) {
                throw new IOException(abs + ": file keeps being replaced while being opened");
            }
        }
    }

    static synchronized void release(InodeLocks inode) throws IOException {
        if (--inode.handles > 0) {
            return;
        }
        OPEN.remove(inode.key, inode);
        inode.close();
    }

    /** Closes {@code c}, a descriptor on the file {@code key} names, as soon as no lock on it is at stake. */
    static synchronized void closeWhenUnlocked(Object key, java.io.Closeable c) throws IOException {
        InodeLocks live = OPEN.get(key);
        if (live != null) {
            live.closeWhenUnlocked(c);
        } else {
            c.close();
        }
    }

    private static AsynchronousFileChannel open(Path path, boolean write, boolean create) throws IOException {
        Set<OpenOption> opts = write
                ? (create ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                        : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))
                : Set.of(StandardOpenOption.READ);
        return AsynchronousFileChannel.open(path, opts, null);
    }

    private static Object keyOrNull(Path path) throws IOException {
        try {
            return key(path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Object key(Path path) throws IOException {
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return key != null ? key : Objects.requireNonNull(path.toRealPath());
    }
}
