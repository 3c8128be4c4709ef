package io.snkv.node.stream;

import static io.snkv.node.stream.TestFrames.pos;
import static io.snkv.node.stream.TestFrames.raw;
import static io.snkv.node.stream.TestFrames.str;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.LtxPosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Round trips of every frame type, the exact bytes, and the writer's and reader's own rules. */
class FrameCodecTest {
    private static final long SEED = Long.getLong("stream.seed", System.nanoTime());

    private static byte[] bytes(int n, int salt) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + salt);
        }
        return b;
    }

    @Test
    void everyFrameTypeRoundTrips() throws IOException {
        SortedMap<String, LtxPosition> positions = new TreeMap<>();
        positions.put("b.db", pos(7, 0x8000_0000_0000_1234L));
        positions.put("a.db", pos(-1L, -2L)); // u64: the top bit survives
        byte[] ltx = bytes(1000, 1);
        byte[] snap = bytes(5000, 2);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.writeHeartbeat(1_700_000_000_123L, positions);
        w.writeSnapshot("a.db", snap.length, new ByteArrayInputStream(snap));
        w.writeLtx("a.db", ltx.length, new ByteArrayInputStream(ltx));
        w.writeLtx("empty.db", 0, InputStream.nullInputStream());
        w.writeDropDb("gone.db");
        w.writeHwm(42, "a.db");
        w.writeHeartbeat(-5, new TreeMap<>());
        w.writeReady();
        w.writeHandoff("lease-\u00e9-1");
        byte[] stream = out.toByteArray();
        assertThat(w.bytesWritten()).isEqualTo(stream.length);

        FrameReader r = new FrameReader(new ByteArrayInputStream(stream));
        Frame.Heartbeat hb = (Frame.Heartbeat) r.next();
        assertThat(hb.header()).isEqualTo(new FrameHeader(FrameType.HEARTBEAT, 8 + 4 + 2 * (2 + 4 + 16), 0));
        assertThat(hb.timestampMs()).isEqualTo(1_700_000_000_123L);
        assertThat(hb.positions()).containsExactly(
                Map.entry("a.db", pos(-1L, -2L)), Map.entry("b.db", pos(7, 0x8000_0000_0000_1234L)));
        Frame.Snapshot s = (Frame.Snapshot) r.next();
        assertThat(s.name()).isEqualTo("a.db");
        assertThat(s.fileLength()).isEqualTo(5000);
        assertThat(s.header().payloadLength()).isEqualTo(2 + 4 + 5000);
        assertThat(s.file().readAllBytes()).isEqualTo(snap);
        Frame.Ltx l = (Frame.Ltx) r.next();
        assertThat(l.name()).isEqualTo("a.db");
        assertThat(l.type()).isEqualTo(FrameType.LTX);
        assertThat(l.file().readAllBytes()).isEqualTo(ltx);
        Frame.Ltx empty = (Frame.Ltx) r.next();
        assertThat(empty.fileLength()).isZero();
        assertThat(empty.file().read()).isEqualTo(-1);
        assertThat(((Frame.DropDb) r.next()).name()).isEqualTo("gone.db");
        Frame.Hwm hwm = (Frame.Hwm) r.next();
        assertThat(hwm.txid()).isEqualTo(42);
        assertThat(hwm.name()).isEqualTo("a.db");
        assertThat(((Frame.Heartbeat) r.next()).positions()).isEmpty();
        assertThat(r.next()).isInstanceOf(Frame.Ready.class);
        assertThat(((Frame.Handoff) r.next()).leaseId()).isEqualTo("lease-\u00e9-1");
        assertThat(r.next()).isNull();
        assertThat(r.offset()).isEqualTo(stream.length);

        for (FrameType terminal : List.of(FrameType.END, FrameType.ERROR)) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            FrameWriter tw = new FrameWriter(o);
            if (terminal == FrameType.END) {
                tw.writeEnd();
            } else {
                tw.writeError("primary shutting down: \u2603");
            }
            FrameReader tr = new FrameReader(new ByteArrayInputStream(o.toByteArray()));
            Frame f = tr.next();
            assertThat(f.type()).isEqualTo(terminal);
            if (f instanceof Frame.Error e) {
                assertThat(e.reason()).isEqualTo("primary shutting down: \u2603");
            }
            assertThat(tr.next()).isNull();
        }
    }

    @Test
    void bytesAreTheSpecsLayout() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.writeDropDb("a.db");
        w.writeReady();
        w.writeLtx("x", 3, new ByteArrayInputStream(new byte[] {9, 8, 7}));
        w.writeHeartbeat(1, new TreeMap<>(Map.of("b", pos(2, 3))));
        w.writeEnd();
        assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(""
                + "04" + "00" + "0000" + "0000000000000006" + "0004" + "612e6462"
                + "02" + "00" + "0000" + "0000000000000000"
                + "01" + "00" + "0000" + "0000000000000006" + "0001" + "78" + "090807"
                + "07" + "00" + "0000" + "000000000000001f" + "0000000000000001" + "00000001"
                + "0001" + "62" + "0000000000000002" + "0000000000000003"
                + "03" + "00" + "0000" + "0000000000000000");
    }

    @Test
    void eachFrameIsFlushedWholeBeforeTheMethodReturns() throws IOException {
        List<Long> flushedAt = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sink.write(b, off, len);
            }

            @Override
            public void flush() {
                flushedAt.add((long) sink.size());
            }
        };
        FrameWriter w = new FrameWriter(out, 7); // a tiny buffer: the file goes out in many writes, one flush
        List<Long> frameEnds = new ArrayList<>();
        w.writeReady();
        frameEnds.add(w.bytesWritten());
        w.writeLtx("a.db", 100, new ByteArrayInputStream(bytes(100, 0)));
        frameEnds.add(w.bytesWritten());
        w.writeHeartbeat(0, new TreeMap<>());
        frameEnds.add(w.bytesWritten());
        w.writeError("x");
        frameEnds.add(w.bytesWritten());
        assertThat(flushedAt).isEqualTo(frameEnds);
        assertThat(frameEnds.get(frameEnds.size() - 1)).isEqualTo(sink.size());
    }

    @Test
    void errorReasonIsCutAtACharacterBoundary() throws IOException {
        // 4095 ASCII bytes then a 3-byte character: the cut drops the whole character.
        String reason = "r".repeat(4095) + "\u2603" + "tail";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).writeError(reason);
        Frame.Error e = (Frame.Error) new FrameReader(new ByteArrayInputStream(out.toByteArray())).next();
        assertThat(e.reason()).isEqualTo("r".repeat(4095));
        assertThat(e.header().payloadLength()).isEqualTo(4095);

        for (int prefix = 4090; prefix <= 4096; prefix++) {
            String s = "r".repeat(prefix) + "\uD83D\uDE00".repeat(3); // 4-byte characters
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            new FrameWriter(o).writeError(s);
            Frame.Error fe = (Frame.Error) new FrameReader(new ByteArrayInputStream(o.toByteArray())).next();
            assertThat(s).startsWith(fe.reason());
            assertThat(fe.reason().getBytes(UTF_8).length).isLessThanOrEqualTo(4096).isGreaterThan(4096 - 4);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        new FrameWriter(o).writeError(null);
        assertThat(((Frame.Error) new FrameReader(new ByteArrayInputStream(o.toByteArray())).next()).reason()).isEmpty();
    }

    @Test
    void writerRefusesWhatTheWireCannotCarryBeforeWritingAByte() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        assertThatThrownBy(() -> w.writeDropDb("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.writeDropDb("x-wal")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.writeHwm(1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.writeLtx(".x", 1, InputStream.nullInputStream()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.writeLtx("a", -1, InputStream.nullInputStream()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.writeSnapshot("a", (1L << 40) - 2, InputStream.nullInputStream()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> w.writeHandoff("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.writeHandoff("x".repeat(1025))).isInstanceOf(IllegalArgumentException.class);
        SortedMap<String, LtxPosition> bad = new TreeMap<>();
        bad.put("a/b", pos(1, 1));
        assertThatThrownBy(() -> w.writeHeartbeat(0, bad)).isInstanceOf(IllegalArgumentException.class);
        SortedMap<String, LtxPosition> nullPos = new TreeMap<>();
        nullPos.put("a", null);
        assertThatThrownBy(() -> w.writeHeartbeat(0, nullPos)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).isZero();
        assertThatThrownBy(() -> new FrameWriter(out, FrameWriter.MAX_COPY_BUFFER + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heartbeatOverSixteenMibIsRefused() {
        SortedMap<String, LtxPosition> many = new TreeMap<>();
        // 255-byte names: 2 + 255 + 16 = 273 bytes each; 61,500 of them exceed 16 MiB.
        String base = "n".repeat(245);
        for (int i = 0; i < 61_500; i++) {
            many.put(base + String.format("%010d", i), pos(i, i));
        }
        assertThatThrownBy(() -> new FrameWriter(OutputStream.nullOutputStream()).writeHeartbeat(0, many))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16777216");
    }

    @Test
    void heartbeatIsWrittenInByteOrderWhateverTheMapsComparator() throws IOException {
        SortedMap<String, LtxPosition> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", pos(1, 1));
        reversed.put("B", pos(2, 2));
        reversed.put("b", pos(3, 3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(out).writeHeartbeat(0, reversed);
        Frame.Heartbeat hb = (Frame.Heartbeat) new FrameReader(new ByteArrayInputStream(out.toByteArray())).next();
        assertThat(hb.positions().keySet()).containsExactly("B", "a", "b");
    }

    @Test
    void nothingIsWrittenAfterEndHandoffErrorOrAFailedFrame() throws IOException {
        for (int i = 0; i < 3; i++) {
            FrameWriter w = new FrameWriter(OutputStream.nullOutputStream());
            switch (i) {
                case 0 -> w.writeEnd();
                case 1 -> w.writeHandoff("L");
                default -> w.writeError("bye");
            }
            assertThatThrownBy(w::writeReady).isInstanceOf(IllegalStateException.class).hasMessageContaining("was written");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        assertThatThrownBy(() -> w.writeLtx("a", 10, new ByteArrayInputStream(new byte[4])))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 4 of 10 bytes");
        assertThatThrownBy(w::writeReady).isInstanceOf(IllegalStateException.class).hasMessageContaining("part-way");
        assertThat(w.bytesWritten()).isZero();
        // What went out is a truncated frame: the reader says so.
        assertThatThrownBy(() -> {
            FrameReader r = new FrameReader(new ByteArrayInputStream(out.toByteArray()));
            ((Frame.Ltx) r.next()).file().readAllBytes();
        }).isInstanceOf(StreamTruncatedException.class);
    }

    @Test
    void readerSkipsTheUnreadRestOfAFileAndEndsItsStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out);
        w.writeSnapshot("a", 200_000, new ByteArrayInputStream(bytes(200_000, 3)));
        w.writeLtx("b", 10, new ByteArrayInputStream(bytes(10, 4)));
        w.writeLtx("c", 10, new ByteArrayInputStream(bytes(10, 5)));
        w.writeReady();
        FrameReader r = new FrameReader(TestFrames.chunked(out.toByteArray(), 1000));
        Frame.FileFrame a = (Frame.FileFrame) r.next();
        assertThat(a.file().readNBytes(5)).isEqualTo(new byte[] {3, 34, 65, 96, 127});
        Frame.FileFrame b = (Frame.FileFrame) r.next();
        assertThat(b.name()).isEqualTo("b");
        assertThatThrownBy(() -> a.file().read()).isInstanceOf(IOException.class).hasMessageContaining("next frame");
        b.file().close(); // closed unread: skipped all the same
        assertThatThrownBy(() -> b.file().read()).isInstanceOf(IOException.class).hasMessageContaining("closed");
        Frame.FileFrame c = (Frame.FileFrame) r.next();
        assertThat(c.file().skip(4)).isEqualTo(4);
        assertThat(c.file().readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes(10, 5), 4, 10));
        assertThat(c.file().read(new byte[1], 0, 1)).isEqualTo(-1);
        assertThat(r.next()).isInstanceOf(Frame.Ready.class);
        assertThat(r.next()).isNull();
    }

    @Test
    void bytesAfterEndHandoffOrErrorAreAProtocolError() {
        for (byte[] terminal : List.of(raw(FrameType.END, new byte[0]), raw(FrameType.HANDOFF, str("L".getBytes(UTF_8))),
                raw(FrameType.ERROR, "bye".getBytes(UTF_8)))) {
            byte[] stream = TestFrames.concat(terminal, raw(FrameType.READY, new byte[0]));
            TestFrames.Outcome o = TestFrames.readAll(stream);
            assertThat(o.frames()).hasSize(1);
            assertThat(o.fault()).isInstanceOf(StreamProtocolException.class).isNotInstanceOf(StreamTruncatedException.class)
                    .hasMessageContaining("nothing may follow");
            assertThat(((StreamProtocolException) o.fault()).offset()).isEqualTo(terminal.length);
        }
    }

    @Test
    void aSpentReaderRefusesToGoOn() throws IOException {
        FrameReader r = new FrameReader(new ByteArrayInputStream(raw(0x0a, 0, 0, 0, new byte[0])));
        assertThatThrownBy(r::next).isInstanceOf(StreamProtocolException.class);
        assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown frame type");
    }

    @Test
    void readErrorsOfTheConnectionPassThrough() {
        IOException reset = new IOException("connection reset");
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 12) {
                    return n == 1 ? FrameType.LTX.code() : n == 12 ? 8 : 0;
                }
                throw reset;
            }
        };
        assertThatThrownBy(() -> {
            FrameReader r = new FrameReader(failing);
            ((Frame.Ltx) r.next()).file().readAllBytes();
        }).isSameAs(reset);
    }

    @Test
    void smallPayloadFaultsNameTheFrameOffsetAndRule() {
        record Case(byte[] frame, String rule, long offset) {}
        byte[] ready = raw(FrameType.READY, new byte[0]);
        int p = ready.length + 12; // payload offset of the frame under test, after one READY
        List<Case> cases = List.of(
                new Case(raw(FrameType.DROP_DB, str(".x".getBytes(UTF_8))), "starts with '.'", p),
                new Case(raw(FrameType.DROP_DB, str(new byte[0])), "name: database name is empty", p),
                new Case(raw(FrameType.DROP_DB, new byte[] {0}), "payload ends inside name length", p),
                new Case(raw(FrameType.DROP_DB, new byte[] {0, 5, 'a'}), "payload ends inside name (5 bytes)", p + 2),
                new Case(raw(FrameType.DROP_DB, TestFrames.concat(str("a".getBytes(UTF_8)), new byte[] {0})),
                        "1 trailing bytes", p + 3),
                new Case(raw(FrameType.HANDOFF, str(new byte[0])), "lease ID is empty", p),
                new Case(raw(FrameType.HANDOFF, str(new byte[] {(byte) 0xc3})), "lease ID (1 bytes) is not valid UTF-8", p + 2),
                new Case(raw(FrameType.ERROR, new byte[] {'o', 'k', (byte) 0xff}), "reason is not valid UTF-8", p),
                new Case(raw(FrameType.ERROR, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), "not valid UTF-8", p),
                new Case(raw(FrameType.HWM, new byte[7]), "payload ends inside txid", p),
                new Case(raw(FrameType.HWM, TestFrames.concat(new byte[8], str("a-shm".getBytes(UTF_8)))), "ends in -shm", p + 8),
                new Case(raw(FrameType.HEARTBEAT, new byte[11]), "payload ends inside count", p + 8),
                new Case(raw(FrameType.HEARTBEAT, TestFrames.concat(new byte[8], new byte[] {0, 0, 0, 1}, new byte[18])),
                        "count 1 needs at least 19 bytes", p + 8),
                new Case(raw(FrameType.HEARTBEAT, TestFrames.concat(new byte[12], new byte[] {0})),
                        "1 trailing bytes after the last position", p + 12));
        for (Case c : cases) {
            TestFrames.Outcome o = TestFrames.readAll(TestFrames.concat(ready, c.frame()));
            assertThat(o.frames()).as(c.rule()).hasSize(1);
            assertThat(o.fault()).as(c.rule()).isExactlyInstanceOf(StreamProtocolException.class)
                    .hasMessageContaining(c.rule()).hasMessageContaining("frame starting at byte 12");
            StreamProtocolException e = (StreamProtocolException) o.fault();
            assertThat(e.offset()).as(c.rule()).isEqualTo(c.offset());
            assertThat(e.frameOffset()).isEqualTo(12);
            assertThat(e.frameType()).contains(FrameType.ofCode(c.frame()[0]).orElseThrow());
        }
    }

    @Test
    void fileFrameNameFaults() {
        byte[] nameTooLong = raw(FrameType.LTX, new byte[] {0, 9, 'a', 'b'});
        TestFrames.Outcome o = TestFrames.readAll(nameTooLong);
        assertThat(o.fault()).hasMessageContaining("database name length 9 exceeds the payload length 4");
        o = TestFrames.readAll(raw(FrameType.SNAPSHOT, new byte[] {0}));
        assertThat(o.fault()).hasMessageContaining("cannot hold the database name's 2-byte length");
        o = TestFrames.readAll(raw(FrameType.SNAPSHOT, TestFrames.concat(str("a/b".getBytes(UTF_8)), new byte[100])));
        assertThat(o.fault()).isExactlyInstanceOf(StreamProtocolException.class).hasMessageContaining("'/'")
                .hasMessageStartingWith("stream byte 12, SNAPSHOT frame starting at byte 0: name: database name");
    }

    @Test
    void randomStreamsRoundTrip() throws IOException {
        System.out.println("[FrameCodecTest] seed " + SEED + " (rerun with -DargLine=-Dstream.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        for (int round = 0; round < 200; round++) {
            List<Object> frames = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FrameWriter w = new FrameWriter(out, 1 + rnd.nextInt(4096));
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                long at = w.bytesWritten();
                switch (rnd.nextInt(7)) {
                    case 0 -> {
                        w.writeReady();
                        frames.add(new Frame.Ready(new FrameHeader(FrameType.READY, 0, at)));
                    }
                    case 1 -> {
                        String name = TestFrames.randomName(rnd);
                        w.writeDropDb(name);
                        frames.add(new Frame.DropDb(new FrameHeader(FrameType.DROP_DB, 2 + name.length(), at), name));
                    }
                    case 2 -> {
                        String name = TestFrames.randomName(rnd);
                        long txid = rnd.nextLong();
                        w.writeHwm(txid, name);
                        frames.add(new Frame.Hwm(new FrameHeader(FrameType.HWM, 10 + name.length(), at), txid, name));
                    }
                    case 3 -> {
                        TreeMap<String, LtxPosition> m = new TreeMap<>();
                        int k = rnd.nextInt(20);
                        for (int j = 0; j < k; j++) {
                            m.put(TestFrames.randomName(rnd), pos(rnd.nextLong(), rnd.nextLong()));
                        }
                        long ts = rnd.nextLong();
                        w.writeHeartbeat(ts, m);
                        frames.add(new Frame.Heartbeat(new FrameHeader(FrameType.HEARTBEAT,
                                PositionMap.entriesLength(m) + 8, at), ts, m));
                    }
                    default -> {
                        String name = TestFrames.randomName(rnd);
                        byte[] file = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(20_000)];
                        rnd.nextBytes(file);
                        boolean snapshot = rnd.nextBoolean();
                        FrameHeader h = new FrameHeader(snapshot ? FrameType.SNAPSHOT : FrameType.LTX,
                                2 + name.length() + file.length, at);
                        if (snapshot) {
                            w.writeSnapshot(name, file.length, new ByteArrayInputStream(file));
                        } else {
                            w.writeLtx(name, file.length, new ByteArrayInputStream(file));
                        }
                        frames.add(new TestFrames.LoadedFile(h, name, HexFormat.of().formatHex(file)));
                    }
                }
            }
            byte[] stream = out.toByteArray();
            TestFrames.Outcome o = TestFrames.readAll(new FrameReader(TestFrames.chunked(stream, 1 + rnd.nextInt(50))));
            assertThat(o.fault()).as("round %d", round).isNull();
            assertThat(o.frames()).as("round %d", round).isEqualTo(frames);
            assertThat(TestFrames.writeAll(o.frames())).isEqualTo(stream);
        }
    }
}
