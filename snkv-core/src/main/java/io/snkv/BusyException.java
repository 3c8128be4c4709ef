package io.snkv;

/** The database is locked by another writer (or a checkpoint waits on readers) past the busy timeout. */
public class BusyException extends KVException {
    private static final long serialVersionUID = 1L;

    public BusyException(String message) {
        super(ErrorCode.BUSY, message);
    }
}
