package io.snkv.node;

import io.snkv.LtxPosition;
import io.snkv.node.stream.FrameType;
import io.snkv.node.stream.FrameWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Test support: stream frames as a primary would send them for one database of a {@link RecordedHistory}, each
 * frame one byte array (so a test knows every frame boundary), written by the real {@link FrameWriter}; and raw
 * frame headers for the bytes a correct primary never sends.
 */
final class PrimaryFrames {
    private PrimaryFrames() {}

    /** The history's snapshot as a SNAPSHOT frame. */
    static byte[] snapshot(String name, RecordedHistory h) {
        return write(w -> {
            byte[] file = Files.readAllBytes(h.snapshot());
            w.writeSnapshot(name, file.length, new ByteArrayInputStream(file));
        });
    }

    /** The LTX file of {@code txid} as an LTX frame. */
    static byte[] ltx(String name, RecordedHistory h, int txid) {
        return write(w -> {
            byte[] file = fileOf(h, txid);
            w.writeLtx(name, file.length, new ByteArrayInputStream(file));
        });
    }

    static byte[] ready() {
        return write(FrameWriter::writeReady);
    }

    static byte[] end() {
        return write(FrameWriter::writeEnd);
    }

    /** A HEARTBEAT naming {@code name} at {@code p}. */
    static byte[] heartbeat(String name, LtxPosition p) {
        TreeMap<String, LtxPosition> m = new TreeMap<>();
        m.put(name, p);
        return write(w -> w.writeHeartbeat(System.currentTimeMillis(), m));
    }

    /**
     * The catch-up a primary sends a replica at {@code from} (REPLICATION.md 2.3): nothing when it is at the last
     * position, the LTX files after it when it is on the history, else the snapshot and every LTX file after that.
     */
    static List<byte[]> catchUp(String name, RecordedHistory h, LtxPosition from) {
        List<byte[]> frames = new ArrayList<>();
        int at = h.txidOf(from);
        if (at <= 0) {
            frames.add(snapshot(name, h));
            at = h.snapshotTxid();
        }
        for (int t = at + 1; t <= h.lastTxid(); t++) {
            frames.add(ltx(name, h, t));
        }
        return frames;
    }

    /** A raw frame: any type byte, flags, reserved and length N, then {@code payload} (whatever its size). */
    static byte[] raw(int type, int flags, int reserved, long length, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).put((byte) type).put((byte) flags).putShort((short) reserved)
                .putLong(length).put(payload).array();
    }

    /** The payload of a whole frame (its bytes after the 12-byte header). */
    static byte[] payloadOf(byte[] frame) {
        return java.util.Arrays.copyOfRange(frame, 12, frame.length);
    }

    /** {@code frame} with another type byte, flags, reserved or length. */
    static byte[] reheader(byte[] frame, int type, int flags, int reserved, long length) {
        return raw(type, flags, reserved, length, payloadOf(frame));
    }

    /** The type of a whole frame. */
    static FrameType typeOf(byte[] frame) {
        return FrameType.ofCode(frame[0] & 0xff).orElseThrow();
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] fileOf(RecordedHistory h, int txid) throws IOException {
        return Files.readAllBytes(h.file(txid));
    }

    private interface Writes {
        void to(FrameWriter w) throws IOException;
    }

    private static byte[] write(Writes frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FrameWriter w = new FrameWriter(out)) {
            frames.to(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
