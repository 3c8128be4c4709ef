package io.snkv.node.stream;

import io.snkv.LtxPosition;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;

/**
 * Writes frames (REPLICATION.md 2.2) to a primary's stream response. Each method writes one whole
 * frame and flushes it, because the primary may wait for the next change right after (2.4) and a frame
 * left in a buffer would stall the replica. LTX and SNAPSHOT files are copied through one buffer of at
 * most {@link #MAX_COPY_BUFFER} bytes, never held whole: a slow replica costs one buffer, and TCP flow
 * control is the backpressure.
 *
 * <p>Arguments a correct primary never passes (an invalid database name, a payload over its type's
 * maximum) raise {@link IllegalArgumentException} before any byte is written. An {@link IOException}
 * may leave a frame half written, so the writer then refuses further frames; so it does after END,
 * HANDOFF and ERROR, which nothing may follow.
 *
 * <p>Thread-safe: the write methods are synchronized, so a heartbeat timer and the catch-up loop may
 * share one writer and frames never interleave (a heartbeat waits for the file being sent).
 */
public final class FrameWriter implements AutoCloseable {
    /** The largest copy buffer a stream may hold (REPLICATION.md 2.4). */
    public static final int MAX_COPY_BUFFER = 1 << 20;

    /** Copy buffer used unless another size is given. */
    public static final int DEFAULT_COPY_BUFFER = 256 << 10;

    /** Longest ERROR reason in bytes; longer reasons are cut at a character boundary. */
    public static final int MAX_REASON_BYTES = (int) FrameType.ERROR.maxPayloadLength();

    /** Longest HANDOFF lease ID in bytes. */
    public static final int MAX_LEASE_ID_BYTES = (int) FrameType.HANDOFF.maxPayloadLength() - 2;

    private final OutputStream out;
    private final int copyBufferSize;
    private byte[] copyBuffer;
    private long bytesWritten;
    /** Why no frame may follow, or null while frames may be written. */
    private String finished;

    public FrameWriter(OutputStream out) {
        this(out, DEFAULT_COPY_BUFFER);
    }

    /** A writer copying files through a buffer of {@code copyBufferSize} (1..{@link #MAX_COPY_BUFFER}) bytes. */
    public FrameWriter(OutputStream out, int copyBufferSize) {
        if (out == null) {
            throw new IllegalArgumentException("out is null");
        }
        if (copyBufferSize < 1 || copyBufferSize > MAX_COPY_BUFFER) {
            throw new IllegalArgumentException("copy buffer " + copyBufferSize + " outside 1.." + MAX_COPY_BUFFER);
        }
        this.out = out;
        this.copyBufferSize = copyBufferSize;
    }

    /** Bytes of whole frames written so far (the offset the next frame starts at). */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    public synchronized void writeReady() throws IOException {
        writeSmall(FrameType.READY, ByteBuffer.allocate(0));
    }

    public synchronized void writeEnd() throws IOException {
        writeSmall(FrameType.END, ByteBuffer.allocate(0));
    }

    /** ERROR with {@code reason} in UTF-8, cut to at most {@link #MAX_REASON_BYTES} bytes at a character boundary. */
    public synchronized void writeError(String reason) throws IOException {
        byte[] utf8 = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int length = utf8CutLength(utf8, MAX_REASON_BYTES);
        writeSmall(FrameType.ERROR, ByteBuffer.wrap(utf8, 0, length).slice());
    }

    public synchronized void writeDropDb(String name) throws IOException {
        byte[] n = nameBytes(name);
        writeSmall(FrameType.DROP_DB, ByteBuffer.allocate(2 + n.length).putShort((short) n.length).put(n).flip());
    }

    /** HANDOFF of {@code leaseId}, 1..{@link #MAX_LEASE_ID_BYTES} bytes of UTF-8. */
    public synchronized void writeHandoff(String leaseId) throws IOException {
        byte[] id = leaseId == null ? new byte[0] : leaseId.getBytes(StandardCharsets.UTF_8);
        if (id.length < 1 || id.length > MAX_LEASE_ID_BYTES) {
            throw new IllegalArgumentException("lease ID is " + id.length + " bytes, not 1.." + MAX_LEASE_ID_BYTES);
        }
        writeSmall(FrameType.HANDOFF, ByteBuffer.allocate(2 + id.length).putShort((short) id.length).put(id).flip());
    }

    /** HWM (backup phase; receivers skip it). */
    public synchronized void writeHwm(long txid, String name) throws IOException {
        byte[] n = nameBytes(name);
        writeSmall(FrameType.HWM,
                ByteBuffer.allocate(8 + 2 + n.length).putLong(txid).putShort((short) n.length).put(n).flip());
    }

    /**
     * HEARTBEAT with the primary's clock and positions, written in byte order of the names.
     * {@link IllegalArgumentException} if the payload would exceed 16 MiB (about 600,000 databases).
     */
    public synchronized void writeHeartbeat(long timestampMs, SortedMap<String, LtxPosition> positions)
            throws IOException {
        SortedMap<String, LtxPosition> sorted = PositionMap.inByteOrder(positions);
        long length = 8 + PositionMap.entriesLength(sorted);
        if (length > FrameType.HEARTBEAT.maxPayloadLength()) {
            throw new IllegalArgumentException("HEARTBEAT for " + sorted.size() + " databases is " + length
                    + " bytes, more than " + FrameType.HEARTBEAT.maxPayloadLength());
        }
        ByteBuffer payload = ByteBuffer.allocate((int) length).putLong(timestampMs);
        PositionMap.putEntries(sorted, payload);
        writeSmall(FrameType.HEARTBEAT, payload.flip());
    }

    /**
     * LTX frame for {@code name}: exactly {@code fileLength} bytes copied from {@code file} (not closed).
     * If {@code file} ends early, {@link EOFException} and the frame is left incomplete: the caller
     * closes the stream, and the replica discards the partial file.
     */
    public synchronized void writeLtx(String name, long fileLength, InputStream file) throws IOException {
        writeFile(FrameType.LTX, name, fileLength, file);
    }

    /** SNAPSHOT frame for {@code name}; as {@link #writeLtx}. */
    public synchronized void writeSnapshot(String name, long fileLength, InputStream file) throws IOException {
        writeFile(FrameType.SNAPSHOT, name, fileLength, file);
    }

    /** Closes the output stream. */
    @Override
    public synchronized void close() throws IOException {
        if (finished == null) {
            finished = "the writer was closed";
        }
        out.close();
    }

    private void writeFile(FrameType type, String name, long fileLength, InputStream file) throws IOException {
        byte[] n = nameBytes(name);
        if (fileLength < 0) {
            throw new IllegalArgumentException("file length " + fileLength + " is negative");
        }
        long payloadLength = 2L + n.length + fileLength;
        if (payloadLength > type.maxPayloadLength()) {
            throw new IllegalArgumentException(type + " payload of " + payloadLength + " bytes exceeds "
                    + type.maxPayloadLength());
        }
        checkOpen(type);
        ByteBuffer head = ByteBuffer.allocate(FrameHeader.LENGTH + 2 + n.length);
        putHeader(head, type, payloadLength);
        head.putShort((short) n.length).put(n);
        try {
            out.write(head.array());
            if (copyBuffer == null) {
                copyBuffer = new byte[copyBufferSize];
            }
            long left = fileLength;
            while (left > 0) {
                int r = file.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
                if (r < 0) {
                    throw new EOFException(type + " file for " + name + " ended after " + (fileLength - left)
                            + " of " + fileLength + " bytes; the frame is incomplete");
                }
                out.write(copyBuffer, 0, r);
                left -= r;
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            finished = "a " + type + " frame failed part-way (" + e + ")";
            throw e;
        }
        bytesWritten += FrameHeader.LENGTH + payloadLength;
    }

    private void writeSmall(FrameType type, ByteBuffer payload) throws IOException {
        checkOpen(type);
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(FrameHeader.LENGTH + length);
        putHeader(frame, type, length);
        frame.put(payload);
        try {
            out.write(frame.array());
            out.flush();
        } catch (IOException | RuntimeException e) {
            finished = "a " + type + " frame failed part-way (" + e + ")";
            throw e;
        }
        bytesWritten += frame.capacity();
        if (type.endsStream()) {
            finished = type + " was written";
        }
    }

    private void checkOpen(FrameType type) {
        if (finished != null) {
            throw new IllegalStateException("cannot write " + type + ": " + finished);
        }
    }

    private static void putHeader(ByteBuffer b, FrameType type, long payloadLength) {
        b.put((byte) type.code()).put((byte) 0).putShort((short) 0).putLong(payloadLength);
    }

    private static byte[] nameBytes(String name) {
        return DatabaseName.validate(name).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The longest prefix of {@code utf8} of at most {@code max} bytes that ends on a character
     * boundary, so a cut reason is still valid UTF-8.
     */
    static int utf8CutLength(byte[] utf8, int max) {
        if (utf8.length <= max) {
            return utf8.length;
        }
        int cut = max;
        // Back off continuation bytes (10xxxxxx) so the cut does not split a character.
        while (cut > 0 && (utf8[cut] & 0xc0) == 0x80) {
            cut--;
        }
        return cut;
    }
}
