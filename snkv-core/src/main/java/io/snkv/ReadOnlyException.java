package io.snkv;

/** A write was attempted on a store opened read-only, or inside a read transaction. */
public class ReadOnlyException extends KVException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyException(String message) {
        super(ErrorCode.READONLY, message);
    }
}
