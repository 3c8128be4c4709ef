package io.snkv.node.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 50 MiB LTX file crosses the writer, the reader and both together while the bytes in flight stay
 * bounded: counted at the source and the sink, never timed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeFileStreamTest {
    private static final long FILE = 50L << 20;
    private static final String NAME = "big.db";
    private static final int HEAD = FrameHeader.LENGTH + 2 + NAME.length();

    /** Byte {@code i} of the test file: cheap, and a shifted or dropped byte shows. */
    static byte pattern(long i) {
        return (byte) ((i * 0x9E3779B1L) >>> 13 ^ i >>> 16);
    }

    /** The test file, generated as read; remembers how much it produced and the largest read asked for. */
    static final class PatternFile extends InputStream {
        final long length;
        long produced;
        int largestRead;

        PatternFile(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            largestRead = Math.max(largestRead, len);
            if (produced == length) {
                return -1;
            }
            int n = (int) Math.min(len, length - produced);
            for (int i = 0; i < n; i++) {
                b[off + i] = pattern(produced + i);
            }
            produced += n;
            return n;
        }

        synchronized long produced() {
            return produced;
        }
    }

    /** Checks the frame head and then each file byte against the pattern as it is written; keeps none. */
    static class CheckingSink extends OutputStream {
        private final byte[] head;
        long written;
        int largestWrite;

        CheckingSink(byte[] head) {
            this.head = head;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            largestWrite = Math.max(largestWrite, len);
            for (int i = 0; i < len; i++, written++) {
                byte expected = written < head.length ? head[(int) written] : pattern(written - head.length);
                if (b[off + i] != expected) {
                    throw new AssertionError("byte " + written + " is " + b[off + i] + ", expected " + expected);
                }
            }
        }
    }

    static byte[] head() {
        return ByteBuffer.allocate(HEAD).put((byte) FrameType.LTX.code()).put((byte) 0).putShort((short) 0)
                .putLong(2 + NAME.length() + FILE).putShort((short) NAME.length())
                .put(NAME.getBytes(StandardCharsets.US_ASCII)).array();
    }

    @Test
    void writerCopiesThroughItsBufferOnly() throws IOException {
        for (int buffer : new int[] {FrameWriter.DEFAULT_COPY_BUFFER, FrameWriter.MAX_COPY_BUFFER}) {
            PatternFile file = new PatternFile(FILE);
            long[] mostInFlight = {0};
            CheckingSink sink = new CheckingSink(head()) {
                @Override
                public void write(byte[] b, int off, int len) {
                    // Bytes taken from the file but not yet written out: at most one buffer.
                    mostInFlight[0] = Math.max(mostInFlight[0], file.produced() - Math.max(0, written - HEAD));
                    super.write(b, off, len);
                }
            };
            FrameWriter w = new FrameWriter(sink, buffer);
            w.writeLtx(NAME, FILE, file);
            assertThat(sink.written).isEqualTo(HEAD + FILE);
            assertThat(w.bytesWritten()).isEqualTo(HEAD + FILE);
            assertThat(file.largestRead).isLessThanOrEqualTo(buffer);
            assertThat(sink.largestWrite).isLessThanOrEqualTo(buffer);
            assertThat(mostInFlight[0]).isLessThanOrEqualTo(buffer);
        }
    }

    @Test
    void readerHandsTheFileOnWithoutBufferingIt() throws IOException {
        byte[] head = head();
        PatternFile body = new PatternFile(FILE);
        long[] served = {0};
        int[] largestAsk = {0};
        InputStream wire = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("single-byte reads of the file");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                largestAsk[0] = Math.max(largestAsk[0], len);
                int n;
                if (served[0] < HEAD) {
                    n = (int) Math.min(len, HEAD - served[0]);
                    System.arraycopy(head, (int) served[0], b, off, n);
                } else {
                    n = body.read(b, off, len);
                }
                if (n > 0) {
                    served[0] += n;
                }
                return n;
            }
        };
        FrameReader reader = new FrameReader(new InputStream() {
            // The header's first byte is read alone; everything else in bulk.
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return wire.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return wire.read(b, off, len);
            }
        });
        Frame.Ltx ltx = (Frame.Ltx) reader.next();
        assertThat(ltx.fileLength()).isEqualTo(FILE);
        InputStream file = ltx.file();
        byte[] chunk = new byte[64 << 10];
        long delivered = 0;
        long mostHeld = 0;
        for (int n; (n = file.read(chunk)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (chunk[i] != pattern(delivered + i)) {
                    throw new AssertionError("file byte " + (delivered + i));
                }
            }
            delivered += n;
            mostHeld = Math.max(mostHeld, served[0] - HEAD - delivered);
        }
        assertThat(delivered).isEqualTo(FILE);
        assertThat(mostHeld).isZero(); // the reader holds no file bytes of its own
        assertThat(largestAsk[0]).isLessThanOrEqualTo(chunk.length);
        assertThat(reader.next()).isNull();
        assertThat(reader.offset()).isEqualTo(HEAD + FILE);
    }

    @Test
    void writerToReaderThroughAPipeKeepsInFlightBytesBounded() throws Exception {
        int pipe = 64 << 10;
        PipedInputStream in = new PipedInputStream(pipe);
        PipedOutputStream out = new PipedOutputStream(in);
        PatternFile file = new PatternFile(FILE);
        CompletableFuture<Void> primary = CompletableFuture.runAsync(() -> {
            try (FrameWriter w = new FrameWriter(out)) {
                w.writeLtx(NAME, FILE, file);
                w.writeEnd();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (FrameReader reader = new FrameReader(in)) {
            Frame.Ltx ltx = (Frame.Ltx) reader.next();
            byte[] chunk = new byte[32 << 10];
            long delivered = 0;
            long mostInFlight = 0;
            for (int n; (n = ltx.file().read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != pattern(delivered + i)) {
                        throw new AssertionError("file byte " + (delivered + i));
                    }
                }
                delivered += n;
                mostInFlight = Math.max(mostInFlight, file.produced() - delivered);
            }
            assertThat(delivered).isEqualTo(FILE);
            // Taken from the file but not yet handed to the replica: the writer's buffer plus the pipe.
            assertThat(mostInFlight).isLessThanOrEqualTo(FrameWriter.DEFAULT_COPY_BUFFER + pipe);
            assertThat(reader.next()).isInstanceOf(Frame.End.class);
            assertThat(reader.next()).isNull();
        }
        primary.get(60, TimeUnit.SECONDS);
    }
}
