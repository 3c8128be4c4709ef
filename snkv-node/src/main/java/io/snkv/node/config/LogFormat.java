package io.snkv.node.config;

/** {@code log.format}. */
public enum LogFormat {
    TEXT,
    /** Accepted; has no effect yet (REPLICATION.md section 7: json later). */
    JSON
}
