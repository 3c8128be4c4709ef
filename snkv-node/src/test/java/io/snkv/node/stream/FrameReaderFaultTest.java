package io.snkv.node.stream;

import static io.snkv.node.stream.TestFrames.pos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.snkv.LtxPosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad bytes: every truncation, every header byte changed to every other value, and lengths the
 * reader must refuse from the header alone. Each outcome is a {@link StreamProtocolException} or a
 * stream that still parses; never another exception, never a hang.
 */
@Timeout(120)
class FrameReaderFaultTest {
    private static final long SEED = Long.getLong("stream.seed", System.nanoTime());

    /** A stream holding every frame type; which terminal frame (END, HANDOFF, ERROR) it ends with. */
    private static byte[] sampleStream(FrameType terminal, List<Long> frameStarts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        TreeMap<String, LtxPosition> positions = new TreeMap<>(Map.of("a.db", pos(3, 0x8000_0000_0000_00a3L),
                "b.db", pos(9, 0x8000_0000_0000_00b9L)));
        byte[] snapshot = new byte[300];
        byte[] ltx = new byte[50];
        for (int i = 0; i < snapshot.length; i++) {
            snapshot[i] = (byte) ('S' + i % 7); // file bytes are no frame header of any type
        }
        Arrays.fill(ltx, (byte) 'L');
        frameStarts.add(w.bytesWritten());
        w.writeHeartbeat(1_700_000_000_000L, positions);
        frameStarts.add(w.bytesWritten());
        w.writeSnapshot("a.db", snapshot.length, new ByteArrayInputStream(snapshot));
        frameStarts.add(w.bytesWritten());
        w.writeLtx("a.db", ltx.length, new ByteArrayInputStream(ltx));
        frameStarts.add(w.bytesWritten());
        w.writeDropDb("b.db");
        frameStarts.add(w.bytesWritten());
        w.writeHwm(7, "a.db");
        frameStarts.add(w.bytesWritten());
        w.writeReady();
        frameStarts.add(w.bytesWritten());
        w.writeHeartbeat(1_700_000_001_000L, new TreeMap<>());
        frameStarts.add(w.bytesWritten());
        switch (terminal) {
            case END -> w.writeEnd();
            case HANDOFF -> w.writeHandoff("lease-7");
            case ERROR -> w.writeError("lease lost");
            default -> throw new IllegalArgumentException(terminal.name());
        }
        frameStarts.add(w.bytesWritten());
        return out.toByteArray();
    }

    private static final List<FrameType> TERMINALS = List.of(FrameType.END, FrameType.HANDOFF, FrameType.ERROR);

    @Test
    void everyTruncationIsACleanEndBetweenFramesAndATruncationInside() throws IOException {
        for (FrameType terminal : TERMINALS) {
            List<Long> boundaries = new ArrayList<>();
            byte[] stream = sampleStream(terminal, boundaries);
            List<Object> all = TestFrames.readAll(stream).frames();
            assertThat(all).hasSize(boundaries.size() - 1);
            for (int c = 0; c <= stream.length; c++) {
                final int cut = c;
                byte[] prefix = Arrays.copyOf(stream, cut);
                // Alternate how the bytes arrive, and whether the caller reads the files or leaves them to next().
                InputStream in = cut % 2 == 0 ? new ByteArrayInputStream(prefix) : TestFrames.chunked(prefix, 1 + cut % 5);
                TestFrames.Outcome o = cut % 3 == 0 ? readSkippingFiles(new FrameReader(in)) : TestFrames.readAll(new FrameReader(in));
                int whole = (int) boundaries.stream().filter(b -> b <= cut).count() - 1;
                if (boundaries.contains((long) cut)) {
                    assertThat(o.fault()).as("cut %d", cut).isNull();
                    assertThat(o.frames()).as("cut %d", cut).hasSize(whole);
                } else {
                    assertThat(o.fault()).as("cut %d", cut).isInstanceOf(StreamTruncatedException.class)
                            .hasMessageContaining("EOF inside the");
                    StreamProtocolException e = (StreamProtocolException) o.fault();
                    assertThat(e.offset()).as("cut %d", cut).isEqualTo(cut);
                    assertThat(e.frameOffset()).as("cut %d", cut).isEqualTo(boundaries.get(whole));
                    if (cut % 3 != 0) {
                        assertThat(o.frames()).as("cut %d", cut).hasSize(whole);
                    }
                }
                if (cut % 3 != 0) {
                    assertThat(o.frames()).isEqualTo(all.subList(0, o.frames().size()));
                }
            }
        }
    }

    /** As {@link TestFrames#readAll} but leaves every file unread for {@code next()} to skip. */
    private static TestFrames.Outcome readSkippingFiles(FrameReader reader) {
        List<Object> frames = new ArrayList<>();
        try {
            for (Frame f = reader.next(); f != null; f = reader.next()) {
                frames.add(f);
            }
            return new TestFrames.Outcome(frames, null);
        } catch (IOException e) {
            return new TestFrames.Outcome(frames, e);
        }
    }

    /**
     * Every header byte of every frame set to each of its 255 other values. Flags and reserved always
     * fail. A type byte may make another type whose rules accept the same payload, and a file frame's
     * length may grow over whole following frames; then the stream must read exactly as the changed
     * bytes say (written back, byte-identical) and the cases are listed at the end.
     */
    @Test
    void everyHeaderByteChangeFailsOrReadsAsAnotherValidFrame() throws IOException {
        Set<String> stillValid = new TreeSet<>();
        for (FrameType terminal : TERMINALS) {
            List<Long> starts = new ArrayList<>();
            byte[] stream = sampleStream(terminal, starts);
            List<Object> original = TestFrames.readAll(stream).frames();
            for (int f = 0; f < starts.size() - 1; f++) {
                int start = starts.get(f).intValue();
                FrameType type = FrameType.ofCode(stream[start]).orElseThrow();
                for (int i = 0; i < FrameHeader.LENGTH; i++) {
                    for (int v = 0; v < 256; v++) {
                        if (v == (stream[start + i] & 0xff)) {
                            continue;
                        }
                        byte[] bad = stream.clone();
                        bad[start + i] = (byte) v;
                        TestFrames.Outcome o;
                        try {
                            o = TestFrames.readAll(bad);
                        } catch (RuntimeException e) {
                            throw new AssertionError("frame " + f + " byte " + i + " = " + v + ": " + e, e);
                        }
                        String where = type + " frame " + f + " header byte " + i + " = 0x" + Integer.toHexString(v);
                        if (o.fault() != null) {
                            assertThat(o.fault()).as(where).isInstanceOf(StreamProtocolException.class);
                            assertThat(((StreamProtocolException) o.fault()).offset()).as(where)
                                    .isGreaterThanOrEqualTo(start);
                            int before = Math.min(f, o.frames().size()); // the frames ahead of the change read as they were
                            assertThat(o.frames().subList(0, before)).as(where).isEqualTo(original.subList(0, before));
                            if (i >= 1 && i < 4) {
                                assertThat(o.fault().getMessage()).as(where).contains(i == 1 ? "flags" : "reserved");
                            }
                            continue;
                        }
                        // Still valid: the decoder must have read exactly what the bytes say.
                        assertThat(o.frames()).as(where).isNotEqualTo(original);
                        assertThat(TestFrames.writeAll(o.frames())).as(where).isEqualTo(bad);
                        assertThat(o.frames().subList(0, f)).as(where).isEqualTo(original.subList(0, f));
                        if (i == 0) {
                            // Another type whose rules accept the same payload: only that frame differs.
                            assertThat(o.frames()).as(where).hasSameSizeAs(original);
                            assertThat(o.frames().subList(f + 1, original.size())).as(where)
                                    .isEqualTo(original.subList(f + 1, original.size()));
                            stillValid.add(type + "->" + FrameType.ofCode(v).orElseThrow()
                                    + (f == original.size() - 1 ? " (last)" : ""));
                        } else {
                            // A file frame grown by exactly the next k whole frames: its file swallowed them.
                            assertThat(i).as(where + " parsed").isBetween(4, 11);
                            assertThat(type.carriesFile()).as(where).isTrue();
                            int k = original.size() - o.frames().size();
                            assertThat(k).as(where).isPositive();
                            long grown = ((TestFrames.LoadedFile) o.frames().get(f)).header().payloadLength()
                                    - ((TestFrames.LoadedFile) original.get(f)).header().payloadLength();
                            assertThat(grown).as(where).isEqualTo(starts.get(f + 1 + k) - starts.get(f + 1));
                            assertThat(((TestFrames.LoadedFile) o.frames().get(f)).bytes()).as(where).isEqualTo(
                                    TestFrames.concat(((TestFrames.LoadedFile) original.get(f)).bytes(),
                                            Arrays.copyOfRange(stream, starts.get(f + 1).intValue(),
                                                    starts.get(f + 1 + k).intValue())));
                            assertThat(o.frames().subList(f + 1, o.frames().size())).as(where)
                                    .isEqualTo(original.subList(f + 1 + k, original.size()));
                            stillValid.add(type + " N+" + grown + " swallows " + k + " frames");
                        }
                    }
                }
            }
        }
        // What still parses, and why the wire allows it (the layers above reject each one):
        assertThat(stillValid).containsExactlyInAnyOrder(
                // A file frame's type byte: same payload shape (min TXID is checked when the file is decoded).
                "LTX->SNAPSHOT", "SNAPSHOT->LTX",
                // "str name" alone is a file frame with an empty file (fails LTX decoding above).
                "DROP_DB->LTX", "DROP_DB->SNAPSHOT", "HANDOFF->LTX (last)", "HANDOFF->SNAPSHOT (last)",
                // Empty payloads: END is READY or an empty ERROR reason; as the last frame nothing follows.
                "END->READY (last)", "END->ERROR (last)",
                // "lease-7" is also a database name, and any UTF-8 is a reason.
                "HANDOFF->DROP_DB (last)", "HANDOFF->ERROR (last)",
                // A file frame's length grown by exactly the following whole frames (up to the end of the
                // stream: +12, +21, +22 for END, HANDOFF, ERROR): its file swallows them; the file's
                // checksum catches that above the codec.
                "LTX N+18 swallows 1 frames", "LTX N+44 swallows 2 frames", "LTX N+56 swallows 3 frames",
                "LTX N+80 swallows 4 frames", "LTX N+92 swallows 5 frames", "LTX N+101 swallows 5 frames",
                "LTX N+102 swallows 5 frames",
                "SNAPSHOT N+68 swallows 1 frames", "SNAPSHOT N+86 swallows 2 frames",
                "SNAPSHOT N+112 swallows 3 frames", "SNAPSHOT N+124 swallows 4 frames",
                "SNAPSHOT N+148 swallows 5 frames", "SNAPSHOT N+160 swallows 6 frames",
                "SNAPSHOT N+169 swallows 6 frames", "SNAPSHOT N+170 swallows 6 frames");
    }

    @Test
    void lengthsOverTheTypesMaximumFailFromTheHeaderAlone() {
        for (FrameType type : FrameType.values()) {
            for (long n : new long[] {type.maxPayloadLength() + 1, type.maxPayloadLength() + 1000, Long.MAX_VALUE,
                    Long.MIN_VALUE, -1L}) {
                byte[] header = TestFrames.raw(type.code(), 0, 0, n, new byte[0]);
                FrameReader r = new FrameReader(new HeaderOnlyStream(header));
                assertThatThrownBy(r::next).as("%s N=%s", type, Long.toUnsignedString(n))
                        .isExactlyInstanceOf(StreamProtocolException.class)
                        .hasMessageContaining("payload length " + Long.toUnsignedString(n))
                        .hasMessageContaining("exceeds the maximum " + type.maxPayloadLength() + " for " + type);
            }
        }
    }

    @Test
    void fileLengthsOverTheFreeSpaceFailFromTheHeaderAlone() throws IOException {
        for (FrameType type : new FrameType[] {FrameType.LTX, FrameType.SNAPSHOT}) {
            long[] asked = {0};
            FrameReader r = new FrameReader(new HeaderOnlyStream(TestFrames.raw(type.code(), 0, 0, 4097, new byte[0])),
                    () -> {
                        asked[0]++;
                        return 4096;
                    });
            assertThatThrownBy(r::next).isExactlyInstanceOf(StreamProtocolException.class)
                    .hasMessageContaining("payload length 4097 exceeds the data dir's free space of 4096 bytes");
            assertThat(asked[0]).isEqualTo(1);
        }
        // At the limit it is accepted, and the space is asked afresh for each file frame.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.writeLtx("a", 4093, new ByteArrayInputStream(new byte[4093]));
        w.writeLtx("a", 4094, new ByteArrayInputStream(new byte[4094]));
        Iterator<Long> space = List.of(4096L, 4095L).iterator();
        FrameReader r = new FrameReader(new ByteArrayInputStream(out.toByteArray()), space::next);
        assertThat(r.next()).isInstanceOf(Frame.Ltx.class);
        assertThatThrownBy(r::next).hasMessageContaining("payload length 4097 exceeds the data dir's free space of 4095");
        // Small frames are not stored, so free space does not limit them.
        assertThat(TestFrames.readAll(new FrameReader(new ByteArrayInputStream(TestFrames.raw(FrameType.ERROR, new byte[100])),
                () -> 0)).fault()).isNull();
    }

    @Test
    void flagsReservedAndUnknownTypesFailFromTheHeaderAlone() {
        record Case(int type, int flags, int reserved, String rule, long offset) {}
        for (Case c : List.of(new Case(0x00, 0, 0, "unknown frame type 0x00", 0),
                new Case(0x0a, 0, 0, "unknown frame type 0x0a", 0),
                new Case(0xff, 0, 0, "unknown frame type 0xff", 0),
                new Case(0x01, 0x80, 0, "flags 0x80, must be 0", 1),
                new Case(0x02, 0x01, 0, "flags 0x01, must be 0", 1),
                new Case(0x07, 0, 0x0100, "reserved 0x0100, must be 0", 2),
                new Case(0x08, 0, 0x0001, "reserved 0x0001, must be 0", 2))) {
            FrameReader r = new FrameReader(new HeaderOnlyStream(TestFrames.raw(c.type(), c.flags(), c.reserved(), 10, new byte[0])));
            assertThatThrownBy(r::next).isExactlyInstanceOf(StreamProtocolException.class)
                    .hasMessage("stream byte " + c.offset() + ", " + FrameType.ofCode(c.type()).map(t -> t + " ").orElse("")
                            + "frame starting at byte 0: " + c.rule());
        }
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        System.out.println("[FrameReaderFaultTest] seed " + SEED + " (rerun with -DargLine=-Dstream.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        for (int round = 0; round < 20_000; round++) {
            byte[] junk = new byte[rnd.nextInt(400)];
            rnd.nextBytes(junk);
            if (junk.length >= 12 && rnd.nextBoolean()) {
                // Mostly-plausible headers reach the payload rules.
                junk[0] = (byte) (1 + rnd.nextInt(9));
                junk[1] = 0;
                junk[2] = 0;
                junk[3] = 0;
                ByteBuffer.wrap(junk).putLong(4, rnd.nextInt(junk.length));
            }
            TestFrames.Outcome o;
            try {
                o = TestFrames.readAll(junk);
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": " + e, e);
            }
            if (o.fault() != null) {
                assertThat(o.fault()).as("round %d", round).isInstanceOf(StreamProtocolException.class);
            }
        }
    }

    /** Serves a 12-byte header, then fails the test if anyone reads on. */
    private static final class HeaderOnlyStream extends InputStream {
        private final byte[] header;
        private int pos;

        HeaderOnlyStream(byte[] header) {
            this.header = header;
        }

        @Override
        public int read() {
            if (pos < header.length) {
                return header[pos++] & 0xff;
            }
            return fail("read past the frame header");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= header.length) {
                return fail("read past the frame header");
            }
            int n = Math.min(len, header.length - pos);
            System.arraycopy(header, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
