package io.snkv.spi;

import io.snkv.LtxPosition;
import java.nio.file.Path;

/**
 * One store's binding to its replication node ({@link ReplicationHook#attach}). The store calls it from the
 * thread holding the database's write lock (except {@link #committed}). Implementations must be thread-safe.
 */
public interface NodeAttachment {
    /** The node's data directory: the change log is {@code <dataDir>/dbs/<database file name>/}. */
    Path dataDir();

    /**
     * How long the node keeps log files ({@code data.retention}), when it says: the store's sweeps then use
     * it instead of {@link io.snkv.KVStoreConfig#captureRetention()}, so every process agrees with the node.
     */
    default java.util.Optional<java.time.Duration> retention() {
        return java.util.Optional.empty();
    }

    /**
     * Commits between automatic checkpoints for a store that configured none ({@code walSizeLimit} 0); 0 for
     * none. A node keeps its own connection open, so an application's connection is never the last to close
     * and never checkpoints at close: without this the WAL would only grow.
     */
    default int autoCheckpointCommits() {
        return 0;
    }

    /** The node ID written into LTX headers (0 if unknown). */
    long nodeId();

    /**
     * Throws {@link io.snkv.ReadOnlyException} naming the primary unless this process may commit now (the
     * node is primary, its lease fence has not passed, the node process is alive). Called when a write
     * transaction begins and again just before its commit reaches the database.
     */
    void checkWritable();

    /** A commit became durable at {@code position}; called after the write lock is released. Must not throw. */
    void committed(LtxPosition position);
}
