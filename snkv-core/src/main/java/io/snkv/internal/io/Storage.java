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
}
