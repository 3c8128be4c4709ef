package io.snkv;

/** How commits are made atomic. */
public enum JournalMode {
    /** Rollback journal ({@code <db>-journal}), deleted at each commit. */
    DELETE,
    /** Write-ahead log ({@code <db>-wal}); readers run beside the writer. The default. */
    WAL
}
