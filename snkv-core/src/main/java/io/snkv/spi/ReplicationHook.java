package io.snkv.spi;

import java.nio.file.Path;

/**
 * How a store joins the replication node serving its directory. A database whose directory holds a node
 * descriptor ({@value #DESCRIPTOR}) is replicated: {@code KVStore.open} finds an implementation of this
 * interface with {@link java.util.ServiceLoader} (the {@code snkv-node} module provides one) and captures
 * every commit into the node's change log. Without one on the class path such a database opens only
 * read-only, so no commit can bypass the log. Implementations must be thread-safe.
 */
public interface ReplicationHook {
    /** The node descriptor's file name, beside the database files. */
    String DESCRIPTOR = ".snkv-node";

    /**
     * Binds a store to the node described by {@code descriptor}.
     *
     * @param database the database file being opened
     * @throws io.snkv.KVException when the descriptor cannot be used (the open fails with it)
     */
    NodeAttachment attach(Path database, Path descriptor);
}
