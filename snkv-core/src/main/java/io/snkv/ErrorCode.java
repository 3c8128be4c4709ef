package io.snkv;

/**
 * SNKV's error codes. The numeric values are the C library's {@code KVSTORE_*} codes, which in turn
 * equal the matching SQLite result codes, so a code logged here means the same thing there.
 */
public enum ErrorCode {
    ERROR(1),
    BUSY(5),
    LOCKED(6),
    NOMEM(7),
    READONLY(8),
    CORRUPT(11),
    NOTFOUND(12),
    PROTOCOL(15),
    /** Too big: a key or value over the configured limit (SQLite's SQLITE_TOOBIG). */
    TOOBIG(18),
    /** Bad input from the caller: a null key, an illegal argument (SQLite's SQLITE_MISUSE). */
    MISUSE(21),
    /** A file-system error: read, write, fsync or truncate failed (SQLite's SQLITE_IOERR). */
    IOERR(10);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The C library's numeric code. */
    public int code() {
        return code;
    }
}
