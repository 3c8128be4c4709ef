package io.snkv;

/** SQLite's checkpoint modes. */
public enum CheckpointMode {
    /** Copy what can be copied without waiting for anybody. */
    PASSIVE,
    /** Wait for the writer lock and for readers, then copy every frame. */
    FULL,
    /** As FULL, then make the next writer restart the log from its beginning. */
    RESTART,
    /** As RESTART, then truncate the log file to zero bytes. */
    TRUNCATE
}
