package io.snkv.ltx;

import java.io.IOException;

/**
 * Bytes that are not a valid LTX v3 file. The message names the byte offset and the rule broken, and
 * the input it was found in when the file was one of several (as in {@link LtxCompactor}).
 */
public final class LtxFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String rule;

    public LtxFormatException(long offset, String rule) {
        super("invalid LTX at byte offset " + offset + ": " + rule);
        this.offset = offset;
        this.rule = rule;
    }

    private LtxFormatException(String source, LtxFormatException cause) {
        super("invalid LTX in " + source + " at byte offset " + cause.offset + ": " + cause.rule, cause);
        this.offset = cause.offset;
        this.rule = cause.rule;
    }

    /** Byte offset from the start of the file where the rule was found broken. */
    public long offset() {
        return offset;
    }

    /** The rule broken, without the offset. */
    public String rule() {
        return rule;
    }

    /** The same fault, its message naming {@code source} (e.g. "input 2 (path)") as the file it is in. */
    public LtxFormatException in(String source) {
        return new LtxFormatException(source, this);
    }
}
