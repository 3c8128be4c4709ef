package io.snkv.node.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads frames (REPLICATION.md 2.2) from a replica's stream response, checking every rule the wire
 * carries: known type, flags and reserved 0, payload length N at most the type's maximum and, for LTX
 * and SNAPSHOT, at most the data dir's free space, both checked before a payload byte is read (2.4);
 * database names valid; each small payload exactly filled by its fields; nothing after END, HANDOFF
 * or ERROR. A fault is a {@link StreamProtocolException}, an EOF inside a frame its subclass {@link
 * StreamTruncatedException}; an EOF exactly between frames is the clean end, {@code null}.
 *
 * <p>LTX and SNAPSHOT files are not read into memory: {@link Frame.FileFrame#file()} streams exactly the
 * file's bytes from the connection. The next {@link #next()} skips whatever the caller left unread,
 * so the stream stays in step, and ends that frame's stream.
 *
 * <p>After any exception the reader is spent (the stream may be mid-frame) and {@code next()} throws
 * {@link IllegalStateException}. Not thread-safe: one thread reads a stream.
 */
public final class FrameReader implements AutoCloseable {
    /** Bytes the data dir can still take; asked once per LTX or SNAPSHOT frame, since it changes. */
    @FunctionalInterface
    public interface DiskSpace {
        long usableBytes() throws IOException;
    }

    private static final DiskSpace UNLIMITED = () -> Long.MAX_VALUE;
    private static final int SKIP_BUFFER = 64 << 10;

    private final InputStream in;
    private final DiskSpace diskSpace;
    private final byte[] header = new byte[FrameHeader.LENGTH];
    private long offset;
    private FilePayload openFile;
    /** The END, HANDOFF or ERROR frame read, after which only EOF may come. */
    private FrameType ended;
    private IOException failure;

    /** A reader with no free-space limit (the type maxima still apply). */
    public FrameReader(InputStream in) {
        this(in, UNLIMITED);
    }

    /**
     * A reader refusing LTX and SNAPSHOT frames whose payload exceeds {@code diskSpace}: the usable
     * bytes of the file system the files are written to (as {@code FileStore::getUsableSpace}).
     */
    public FrameReader(InputStream in, DiskSpace diskSpace) {
        this.in = Objects.requireNonNull(in, "in");
        this.diskSpace = Objects.requireNonNull(diskSpace, "diskSpace");
    }

    /** Bytes consumed from the stream so far. */
    public long offset() {
        return offset;
    }

    /**
     * The next frame, or null at a clean end (EOF between frames). First skips what the caller left
     * unread of the previous LTX or SNAPSHOT file.
     */
    public Frame next() throws IOException {
        if (failure != null) {
            throw new IllegalStateException("the stream failed earlier: " + failure.getMessage(), failure);
        }
        try {
            if (openFile != null) {
                openFile.skipRest();
                openFile.current = false;
                openFile = null;
            }
            return ended != null ? expectEof() : readFrame();
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e);
            throw e;
        }
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }

    private Frame expectEof() throws IOException {
        if (in.read() < 0) {
            return null;
        }
        throw StreamProtocolException.inFrame(null, offset, offset, "bytes after the " + ended
                + " frame, which nothing may follow");
    }

    private Frame readFrame() throws IOException {
        long start = offset;
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        offset++;
        FrameType known = FrameType.ofCode(first).orElse(null);
        int got = 1 + readUpTo(header, 1, FrameHeader.LENGTH - 1);
        if (got < FrameHeader.LENGTH) {
            throw new StreamTruncatedException(known, start, offset, "EOF inside the frame header after " + got
                    + " of " + FrameHeader.LENGTH + " bytes");
        }
        FrameType type = known;
        if (type == null) {
            throw StreamProtocolException.inFrame(null, start, start, String.format("unknown frame type 0x%02x", first));
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        int flags = h.get(1) & 0xff;
        if (flags != 0) {
            throw StreamProtocolException.inFrame(type, start, start + 1, String.format("flags 0x%02x, must be 0", flags));
        }
        int reserved = h.getShort(2) & 0xffff;
        if (reserved != 0) {
            throw StreamProtocolException.inFrame(type, start, start + 2,
                    String.format("reserved 0x%04x, must be 0", reserved));
        }
        long n = h.getLong(4);
        if (Long.compareUnsigned(n, type.maxPayloadLength()) > 0) {
            throw StreamProtocolException.inFrame(type, start, start + 4, "payload length " + Long.toUnsignedString(n)
                    + " exceeds the maximum " + type.maxPayloadLength() + " for " + type);
        }
        FrameHeader fh = new FrameHeader(type, n, start);
        return type.carriesFile() ? readFileFrame(fh) : readSmallFrame(fh);
    }

    private Frame readSmallFrame(FrameHeader fh) throws IOException {
        FrameType type = fh.type();
        long payloadStart = offset;
        // At most 16 MiB (HEARTBEAT); readNBytes grows as bytes arrive, so a lying N costs no memory.
        byte[] payload = in.readNBytes((int) fh.payloadLength());
        offset += payload.length;
        if (payload.length < fh.payloadLength()) {
            throw new StreamTruncatedException(type, fh.offset(), offset, "EOF inside the payload after "
                    + payload.length + " of " + fh.payloadLength() + " bytes");
        }
        PayloadCursor c = new PayloadCursor(payload, payloadStart,
                (at, rule) -> StreamProtocolException.inFrame(type, fh.offset(), at, rule));
        Frame frame;
        switch (type) {
            case READY:
                frame = new Frame.Ready(fh);
                break;
            case END:
                frame = new Frame.End(fh);
                break;
            case ERROR:
                frame = new Frame.Error(fh, c.utf8(payload.length, "reason"));
                break;
            case DROP_DB:
                frame = new Frame.DropDb(fh, c.databaseName("name"));
                break;
            case HANDOFF: {
                int len = c.u16("lease ID length");
                if (len == 0) {
                    throw c.faultAt(payloadStart, "lease ID is empty");
                }
                frame = new Frame.Handoff(fh, c.utf8(len, "lease ID (" + len + " bytes)"));
                break;
            }
            case HWM: {
                long txid = c.u64("txid");
                frame = new Frame.Hwm(fh, txid, c.databaseName("name"));
                break;
            }
            case HEARTBEAT: {
                long timestamp = c.u64("timestamp");
                frame = new Frame.Heartbeat(fh, timestamp, PositionMap.getEntries(c));
                break;
            }
            default:
                throw new AssertionError(type);
        }
        c.requireEnd(type == FrameType.HEARTBEAT ? "the last position" : "the " + type + " payload's fields");
        if (type.endsStream()) {
            ended = type;
        }
        return frame;
    }

    private Frame readFileFrame(FrameHeader fh) throws IOException {
        FrameType type = fh.type();
        long n = fh.payloadLength();
        long space = diskSpace.usableBytes();
        if (n > space) {
            throw StreamProtocolException.inFrame(type, fh.offset(), fh.offset() + 4, "payload length " + n
                    + " exceeds the data dir's free space of " + space + " bytes");
        }
        if (n < 2) {
            throw StreamProtocolException.inFrame(type, fh.offset(), fh.offset() + 4, "payload length " + n
                    + " cannot hold the database name's 2-byte length");
        }
        byte[] len = new byte[2];
        readPayloadBytes(fh, len, 2);
        int nameLength = ((len[0] & 0xff) << 8) | (len[1] & 0xff);
        long nameStart = offset - 2;
        if (2L + nameLength > n) {
            throw StreamProtocolException.inFrame(type, fh.offset(), nameStart, "database name length " + nameLength
                    + " exceeds the payload length " + n);
        }
        byte[] name = new byte[nameLength];
        readPayloadBytes(fh, name, nameLength);
        String problem = DatabaseName.problem(name, 0, nameLength);
        if (problem != null) {
            throw StreamProtocolException.inFrame(type, fh.offset(), nameStart, "name: " + problem);
        }
        String nameText = new String(name, StandardCharsets.US_ASCII);
        long fileLength = n - 2 - nameLength;
        openFile = new FilePayload(fh, fileLength);
        return type == FrameType.LTX
                ? new Frame.Ltx(fh, nameText, fileLength, openFile)
                : new Frame.Snapshot(fh, nameText, fileLength, openFile);
    }

    private void readPayloadBytes(FrameHeader fh, byte[] b, int len) throws IOException {
        int got = readUpTo(b, 0, len);
        if (got < len) {
            throw new StreamTruncatedException(fh.type(), fh.offset(), offset, "EOF inside the payload after "
                    + (offset - fh.offset() - FrameHeader.LENGTH) + " of " + fh.payloadLength() + " bytes");
        }
    }

    /** Reads until {@code len} bytes or EOF; returns the count, advancing the offset. */
    private int readUpTo(byte[] b, int off, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int r = in.read(b, off + got, len - got);
            if (r < 0) {
                break;
            }
            got += r;
            offset += r;
        }
        return got;
    }

    /** Exactly one LTX or SNAPSHOT file's bytes, read straight from the connection. */
    private final class FilePayload extends InputStream {
        private final FrameHeader fh;
        private final long fileLength;
        private long remaining;
        private boolean closed;
        boolean current = true;

        FilePayload(FrameHeader fh, long fileLength) {
            this.fh = fh;
            this.fileLength = fileLength;
            this.remaining = fileLength;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int r = read(one, 0, 1);
            return r < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (!current) {
                throw new IOException(fh.type() + " file of the frame at byte " + fh.offset()
                        + " is no longer readable: the reader has moved to the next frame");
            }
            if (closed) {
                throw new IOException(fh.type() + " file of the frame at byte " + fh.offset() + " is closed");
            }
            return len == 0 ? 0 : readFile(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return current && !closed ? (int) Math.min(in.available(), remaining) : 0;
        }

        /** Marks this stream done; the rest of the file is skipped by the next {@link FrameReader#next()}. */
        @Override
        public void close() {
            closed = true;
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[(int) Math.min(SKIP_BUFFER, Math.max(remaining, 1))];
            while (remaining > 0) {
                readFile(skip, 0, skip.length);
            }
        }

        private int readFile(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int r;
            try {
                r = in.read(b, off, (int) Math.min(len, remaining));
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (r < 0) {
                StreamTruncatedException e = new StreamTruncatedException(fh.type(), fh.offset(), offset,
                        "EOF inside the file after " + (fileLength - remaining) + " of " + fileLength + " bytes");
                failure = e;
                throw e;
            }
            remaining -= r;
            offset += r;
            return r;
        }
    }
}
