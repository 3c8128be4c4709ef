package io.snkv;

/**
 * A database image given to {@link KVStore#importImage} or {@link KVStore#createFromImage} cannot be imported:
 * it is not an SQLite-format image, its length does not match its page size, it fails the integrity check,
 * or it does not fit the database it would replace (page size, reserved bytes, SNKV layout). Nothing was
 * changed. The message says what is wrong.
 */
public class InvalidImageException extends KVException {
    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(ErrorCode.MISUSE, message);
    }
}
