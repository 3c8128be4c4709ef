package io.snkv.node.stream;

/**
 * The stream ended inside a frame (header or payload). Its own type because a replica treats it as a
 * lost connection, not as a PROTOCOL fault (REPLICATION.md 2.5): it deletes the partial file and
 * reconnects. An EOF exactly between frames is not an error: {@link FrameReader#next()}
 * returns null.
 */
public final class StreamTruncatedException extends StreamProtocolException {
    private static final long serialVersionUID = 1L;

    StreamTruncatedException(FrameType frameType, long frameOffset, long offset, String rule) {
        super(frameMessage(frameType, frameOffset, offset, rule), frameType, frameOffset, offset, rule);
    }
}
