package io.snkv.internal.io;

import java.io.IOException;
import java.nio.file.Path;

/** Opens and manages the files of a store. Implementations are thread-safe. */
public interface Storage {
    /**
     * Opens a file.
     *
     * @param create create it if missing (ignored when {@code readOnly})
     */
    StorageFile open(Path path, boolean readOnly, boolean create) throws IOException;

    boolean exists(Path path);

    /** Deletes the file if present. */
    void delete(Path path) throws IOException;

    /** Makes a directory entry change (create, delete) durable: fsync of the directory. */
    void syncDirectory(Path dir) throws IOException;

    /** The file's last modification time in nanoseconds since the epoch (as precise as the file system keeps it). */
    default long modifiedNanos(Path path) throws IOException {
        return java.nio.file.Files.getLastModifiedTime(path).to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Replaces {@code target} with {@code source} in one step (rename). */
    default void rename(Path source, Path target) throws IOException {
        java.nio.file.Files.move(source, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
