package io.snkv.ltx;

import java.io.IOException;

/**
 * Bytes that are not a valid LTX v3 file. The message names the byte offset and the rule broken.
 */
public final class LtxFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public LtxFormatException(long offset, String rule) {
        super("invalid LTX at byte offset " + offset + ": " + rule);
        this.offset = offset;
    }

    /** Byte offset from the start of the file where the rule was found broken. */
    public long offset() {
        return offset;
    }
}
