package io.snkv.node.stream;

/**
 * A validated frame header: its type, its payload length N (at most the type's maximum), and the byte
 * offset in the stream where the frame starts (the first byte after the HTTP headers is offset 0).
 * Flags and reserved are not kept: a header is only built once they were checked to be 0.
 */
public record FrameHeader(FrameType type, long payloadLength, long offset) {
    /** Bytes before the payload: type, flags, reserved u16, payload length u64. */
    public static final int LENGTH = 12;

    public FrameHeader {
        if (type == null) {
            throw new IllegalArgumentException("type is null");
        }
        if (payloadLength < 0 || payloadLength > type.maxPayloadLength()) {
            throw new IllegalArgumentException(type + " payload length " + payloadLength + " outside 0.."
                    + type.maxPayloadLength());
        }
    }
}
