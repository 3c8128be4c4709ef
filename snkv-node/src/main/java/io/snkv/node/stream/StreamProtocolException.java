package io.snkv.node.stream;

import io.snkv.ErrorCode;
import java.io.IOException;
import java.util.Optional;

/**
 * Bytes on the replication stream (or in the POST /stream body) that break REPLICATION.md 2. The
 * message names the frame type when known, where the frame starts, the byte offset where the fault was
 * found and the rule broken. A replica reacts with PROTOCOL (2.5): close and back off; the subclass
 * {@link StreamTruncatedException} marks an EOF inside a frame, where it reconnects instead.
 *
 * <p>An {@link IOException}, so every fault of a stream, bad bytes or a broken connection, is one
 * checked type to handle; {@link #code()} is {@link ErrorCode#PROTOCOL} for reporting beside
 * {@code KVException}s.
 */
public class StreamProtocolException extends IOException {
    private static final long serialVersionUID = 1L;
    private final FrameType frameType;
    private final long frameOffset;
    private final long offset;
    private final String rule;

    StreamProtocolException(String message, FrameType frameType, long frameOffset, long offset, String rule) {
        super(message);
        this.frameType = frameType;
        this.frameOffset = frameOffset;
        this.offset = offset;
        this.rule = rule;
    }

    /**
     * A fault in the frame starting at {@code frameOffset}, of {@code frameType} (null when the type
     * byte itself is unknown), found at stream byte {@code offset}.
     */
    public static StreamProtocolException inFrame(FrameType frameType, long frameOffset, long offset, String rule) {
        return new StreamProtocolException(frameMessage(frameType, frameOffset, offset, rule), frameType,
                frameOffset, offset, rule);
    }

    /** A fault in the POST /stream request body, found at its byte {@code offset}. */
    public static StreamProtocolException inPositionMap(long offset, String rule) {
        return new StreamProtocolException("position map byte " + offset + ": " + rule, null, -1, offset, rule);
    }

    static String frameMessage(FrameType frameType, long frameOffset, long offset, String rule) {
        String frame = frameType == null ? "frame" : frameType + " frame";
        return "stream byte " + offset + ", " + frame + " starting at byte " + frameOffset + ": " + rule;
    }

    /** The type of the frame at fault; empty in the position map or when the type byte is unknown. */
    public Optional<FrameType> frameType() {
        return Optional.ofNullable(frameType);
    }

    /** Stream offset where the faulty frame starts; -1 for the position map. */
    public long frameOffset() {
        return frameOffset;
    }

    /** Offset (in the stream, or in the position map) where the fault was found. */
    public long offset() {
        return offset;
    }

    /** The rule broken, without the offsets. */
    public String rule() {
        return rule;
    }

    /** SNKV's error code for every stream fault. */
    public ErrorCode code() {
        return ErrorCode.PROTOCOL;
    }
}
