/**
 * The only code that touches the file system: {@link io.snkv.internal.io.Storage} opens, probes and
 * deletes files; {@link io.snkv.internal.io.StorageFile} reads, writes, truncates and syncs one. Every
 * layer above goes through these two interfaces, so a test can put a fault-injecting storage under a
 * whole store and fail the Nth write or fsync.
 *
 * <p>{@link io.snkv.internal.io.ByteRangeLocks} (POSIX byte-range locks on a file, one set per JVM
 * shared by its connections, as SQLite's unixInodeInfo) and {@link io.snkv.internal.io.SharedMemory}
 * (the mapped {@code <db>-shm}) carry SQLite's multi-process protocol; the lock bytes are listed in
 * {@link io.snkv.internal.io.SqliteLockLayout}.
 *
 * <p>Calls nothing above it.
 */
package io.snkv.internal.io;
