package io.snkv;

/**
 * When the store calls fsync. The points are SQLite's for {@code PRAGMA synchronous}; the pager's
 * package documentation lists each one.
 */
public enum SyncLevel {
    /** Never: a process crash is safe, a power loss may lose or corrupt recent commits. */
    OFF,
    /** WAL: fsync at checkpoint only (survives a process crash; a power loss may lose the last commits). Rollback journal: fsync journal and database once each per commit. The default. */
    NORMAL,
    /** WAL: fsync at every commit as well. Rollback journal: as NORMAL plus a second journal fsync. */
    FULL
}
