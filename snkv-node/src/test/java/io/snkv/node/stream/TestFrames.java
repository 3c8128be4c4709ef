package io.snkv.node.stream;

import io.snkv.LtxPosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Test support: frames read whole into comparable values (a file frame's stream becomes its bytes in
 * hex), written back with {@link FrameWriter}, and raw frames built byte by byte for inputs the writer
 * refuses to make.
 */
final class TestFrames {
    /** An LTX or SNAPSHOT frame with its file read; comparable. */
    record LoadedFile(FrameHeader header, String name, String hex) {
        byte[] bytes() {
            return HexFormat.of().parseHex(hex);
        }
    }

    /** What {@link #readAll} returns: frames in order, and the fault that ended them, if any. */
    record Outcome(List<Object> frames, IOException fault) {}

    private TestFrames() {}

    /** Reads every frame; file frames become {@link LoadedFile}; stops at the clean end or the first exception. */
    static Outcome readAll(FrameReader reader) {
        List<Object> frames = new ArrayList<>();
        try {
            for (Frame f = reader.next(); f != null; f = reader.next()) {
                frames.add(load(f));
            }
            return new Outcome(frames, null);
        } catch (IOException e) {
            return new Outcome(frames, e);
        }
    }

    static Outcome readAll(byte[] stream) {
        return readAll(new FrameReader(new ByteArrayInputStream(stream)));
    }

    static Object load(Frame f) throws IOException {
        if (f instanceof Frame.FileFrame ff) {
            return new LoadedFile(f.header(), ff.name(), HexFormat.of().formatHex(ff.file().readAllBytes()));
        }
        return f;
    }

    /** Writes {@code frames} (as {@link #readAll} returns them) back with a {@link FrameWriter}. */
    static byte[] writeAll(List<Object> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        for (Object o : frames) {
            if (o instanceof LoadedFile lf) {
                byte[] file = lf.bytes();
                if (lf.header().type() == FrameType.LTX) {
                    w.writeLtx(lf.name(), file.length, new ByteArrayInputStream(file));
                } else {
                    w.writeSnapshot(lf.name(), file.length, new ByteArrayInputStream(file));
                }
            } else if (o instanceof Frame.Ready) {
                w.writeReady();
            } else if (o instanceof Frame.End) {
                w.writeEnd();
            } else if (o instanceof Frame.Error e) {
                w.writeError(e.reason());
            } else if (o instanceof Frame.DropDb d) {
                w.writeDropDb(d.name());
            } else if (o instanceof Frame.Handoff h) {
                w.writeHandoff(h.leaseId());
            } else if (o instanceof Frame.Hwm h) {
                w.writeHwm(h.txid(), h.name());
            } else if (o instanceof Frame.Heartbeat h) {
                w.writeHeartbeat(h.timestampMs(), h.positions());
            } else {
                throw new IllegalArgumentException(String.valueOf(o));
            }
        }
        return out.toByteArray();
    }

    /** One raw frame: any type byte, flags, reserved and length, then {@code payload}. */
    static byte[] raw(int type, int flags, int reserved, long length, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).put((byte) type).put((byte) flags)
                .putShort((short) reserved).putLong(length).put(payload).array();
    }

    /** One raw frame with a correct length. */
    static byte[] raw(FrameType type, byte[] payload) {
        return raw(type.code(), 0, 0, payload.length, payload);
    }

    /** {@code str}: u16 length then the bytes. */
    static byte[] str(byte[] bytes) {
        return ByteBuffer.allocate(2 + bytes.length).putShort((short) bytes.length).put(bytes).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static LtxPosition pos(long txid, long checksum) {
        return new LtxPosition(txid, checksum);
    }

    /** Serves {@code data} in reads of at most {@code chunk} bytes, as a network stream may. */
    static InputStream chunked(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    /** A valid database name: mostly short, sometimes up to 255 bytes. */
    static String randomName(Random rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        while (true) {
            int len = 1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(255) : rnd.nextInt(12));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            if (DatabaseName.isValid(sb.toString())) {
                return sb.toString();
            }
        }
    }
}
