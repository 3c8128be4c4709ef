package io.snkv;

/** Root of every error the store raises; carries one of SNKV's {@link ErrorCode}s. */
public class KVException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public KVException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public KVException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
