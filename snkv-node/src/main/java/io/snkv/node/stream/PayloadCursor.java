package io.snkv.node.stream;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one payload already in memory (a small frame's payload, the position map),
 * checking each field fits before reading it, and turns every fault into a {@link
 * StreamProtocolException} placed at the stream offset of the field at fault. Not thread-safe.
 */
final class PayloadCursor {
    /** Makes the exception for a fault at an absolute offset; says which frame or body we are in. */
    interface Faults {
        StreamProtocolException at(long offset, String rule);
    }

    private final byte[] data;
    private final long baseOffset;
    private final Faults faults;
    private int pos;

    PayloadCursor(byte[] data, long baseOffset, Faults faults) {
        this.data = data;
        this.baseOffset = baseOffset;
        this.faults = faults;
    }

    int remaining() {
        return data.length - pos;
    }

    /** Absolute offset of the next byte. */
    long offset() {
        return baseOffset + pos;
    }

    StreamProtocolException fault(String rule) {
        return faults.at(offset(), rule);
    }

    StreamProtocolException faultAt(long offset, String rule) {
        return faults.at(offset, rule);
    }

    private void need(int n, String field) throws StreamProtocolException {
        if (remaining() < n) {
            throw fault("payload ends inside " + field + ": needs " + n + " bytes, " + remaining() + " left");
        }
    }

    int u16(String field) throws StreamProtocolException {
        need(2, field);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32(String field) throws StreamProtocolException {
        need(4, field);
        long v = ByteBuffer.wrap(data, pos, 4).getInt() & 0xffffffffL;
        pos += 4;
        return v;
    }

    long u64(String field) throws StreamProtocolException {
        need(8, field);
        long v = ByteBuffer.wrap(data, pos, 8).getLong();
        pos += 8;
        return v;
    }

    /** A {@code str} holding a database name: u16 length, then a name valid by {@link DatabaseName}. */
    String databaseName(String field) throws StreamProtocolException {
        long start = offset();
        int len = u16(field + " length");
        need(len, field + " (" + len + " bytes)");
        String problem = DatabaseName.problem(data, pos, len);
        if (problem != null) {
            throw faultAt(start, field + ": " + problem);
        }
        String name = new String(data, pos, len, StandardCharsets.US_ASCII);
        pos += len;
        return name;
    }

    /** The next {@code len} bytes as strict UTF-8: malformed bytes are a fault, never replaced. */
    String utf8(int len, String field) throws StreamProtocolException {
        need(len, field);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, pos, len))
                    .toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw fault(field + " is not valid UTF-8");
        }
    }

    /** Fault unless every byte was consumed. */
    void requireEnd(String after) throws StreamProtocolException {
        if (remaining() != 0) {
            throw fault(remaining() + " trailing bytes after " + after);
        }
    }
}
