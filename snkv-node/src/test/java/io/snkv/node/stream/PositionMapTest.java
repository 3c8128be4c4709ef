package io.snkv.node.stream;

import static io.snkv.node.stream.TestFrames.pos;
import static io.snkv.node.stream.TestFrames.str;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.LtxPosition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PositionMapTest {
    private static final long SEED = Long.getLong("stream.seed", System.nanoTime());

    private static byte[] entry(String name, long txid, long checksum) {
        return TestFrames.concat(str(name.getBytes(US_ASCII)), ByteBuffer.allocate(16).putLong(txid).putLong(checksum).array());
    }

    private static byte[] count(long n) {
        return ByteBuffer.allocate(4).putInt((int) n).array();
    }

    private static StreamProtocolException decodeFails(byte[] body) {
        try {
            PositionMap.decode(body);
        } catch (StreamProtocolException e) {
            assertThat(e.frameType()).isEmpty();
            assertThat(e.frameOffset()).isEqualTo(-1);
            assertThat(e.getMessage()).startsWith("position map byte " + e.offset() + ": ");
            return e;
        }
        throw new AssertionError("decoded " + HexFormat.of().formatHex(body));
    }

    @Test
    void emptyMapIsFourZeroBytes() throws IOException {
        assertThat(PositionMap.encode(new TreeMap<>())).containsExactly(0, 0, 0, 0);
        assertThat(PositionMap.read(new ByteArrayInputStream(new byte[4]), PositionMap.MAX_BYTES)).isEmpty();
    }

    @Test
    void exactBytesOfTheSpecsLayout() {
        SortedMap<String, LtxPosition> m = new TreeMap<>(Map.of("b.db", pos(2, 0x8000_0000_0000_0003L), "a", pos(0, 0)));
        assertThat(HexFormat.of().formatHex(PositionMap.encode(m))).isEqualTo("00000002"
                + "0001" + "61" + "0000000000000000" + "0000000000000000"
                + "0004" + "622e6462" + "0000000000000002" + "8000000000000003");
    }

    @Test
    void roundTripsWithUnsignedValuesAndWritesInByteOrder() throws IOException {
        SortedMap<String, LtxPosition> m = new TreeMap<>(Comparator.reverseOrder());
        m.put("Z.db", pos(-1L, Long.MIN_VALUE));
        m.put("a.db", pos(1, 0x8000_0000_0000_0001L));
        m.put("_", pos(Long.MAX_VALUE, -1L));
        m.put("0", LtxPosition.ZERO);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PositionMap.write(m, out);
        SortedMap<String, LtxPosition> back = PositionMap.read(new ByteArrayInputStream(out.toByteArray()), PositionMap.MAX_BYTES);
        assertThat(back.keySet()).containsExactly("0", "Z.db", "_", "a.db"); // byte order: '0' < 'Z' < '_' < 'a'
        assertThat(back).isEqualTo(new TreeMap<>(m));
        assertThatThrownBy(() -> back.put("x", LtxPosition.ZERO)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void encodeRefusesBadNamesAndNullPositions() {
        assertThatThrownBy(() -> PositionMap.encode(new TreeMap<>(Map.of("a/b", pos(1, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
        assertThatThrownBy(() -> PositionMap.encode(new TreeMap<>(Map.of("x.db-wal", pos(1, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-wal");
        TreeMap<String, LtxPosition> nullPos = new TreeMap<>();
        nullPos.put("a", null);
        assertThatThrownBy(() -> PositionMap.encode(nullPos)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsortedAndDuplicateNamesAreRefusedAtTheirEntry() {
        byte[] a = entry("a", 1, 1);
        byte[] b = entry("b", 2, 2);
        StreamProtocolException e = decodeFails(TestFrames.concat(count(2), b, a));
        assertThat(e.rule()).isEqualTo("entry 1: database name \"a\" follows \"b\"; names must be sorted by byte value");
        assertThat(e.offset()).isEqualTo(4 + b.length);
        e = decodeFails(TestFrames.concat(count(3), a, b, b));
        assertThat(e.rule()).isEqualTo("entry 2: database name \"b\" appears twice");
        assertThat(e.offset()).isEqualTo(4 + a.length + b.length);
        // Byte order, not case-insensitive or locale order.
        e = decodeFails(TestFrames.concat(count(2), entry("a", 1, 1), entry("B", 1, 1)));
        assertThat(e.rule()).contains("\"B\" follows \"a\"");
    }

    @Test
    void badNamesAreRefusedAtTheirEntry() {
        for (String bad : new String[] {".hidden", "a/b", "x-shm", "y.tmp", "a b", "z".repeat(256)}) {
            StreamProtocolException e = decodeFails(TestFrames.concat(count(1), entry(bad, 1, 1)));
            assertThat(e.rule()).as(bad).startsWith("entry 0 name: database name");
            assertThat(e.offset()).isEqualTo(4);
        }
        // An empty name makes an 18-byte entry: one byte more passes the count check and reaches the name rule.
        StreamProtocolException empty = decodeFails(TestFrames.concat(count(1), entry("", 1, 1), new byte[1]));
        assertThat(empty.rule()).isEqualTo("entry 0 name: database name is empty");
        byte[] nonAscii = TestFrames.concat(count(1), str(new byte[] {'a', (byte) 0xc3, (byte) 0xa9}), new byte[16]);
        assertThat(decodeFails(nonAscii).rule()).contains("byte 0xc3 at index 1");
    }

    @Test
    void countTooLargeIsRefusedBeforeReadingEntries() {
        StreamProtocolException e = decodeFails(count(0xffff_ffffL));
        assertThat(e.rule()).isEqualTo("count 4294967295 needs at least 81604378605 bytes of entries, 0 left");
        assertThat(e.offset()).isZero();
        e = decodeFails(TestFrames.concat(count(2), entry("a", 1, 1)));
        assertThat(e.rule()).startsWith("count 2 needs at least 38 bytes of entries, 19 left");
    }

    @Test
    void everyTruncationAndAnyTrailingByteIsRefused() {
        byte[] body = PositionMap.encode(new TreeMap<>(Map.of("a.db", pos(1, 2), "bb", pos(3, 4), "c", pos(5, 6))));
        for (int cut = 0; cut < body.length; cut++) {
            byte[] prefix = Arrays.copyOf(body, cut);
            StreamProtocolException e = decodeFails(prefix);
            assertThat(e.offset()).as("cut %d", cut).isLessThanOrEqualTo(cut);
        }
        for (int extra = 1; extra <= 20; extra++) {
            StreamProtocolException e = decodeFails(Arrays.copyOf(body, body.length + extra));
            assertThat(e.rule()).isEqualTo(extra + " trailing bytes after the last entry");
            assertThat(e.offset()).isEqualTo(body.length);
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedAfterReadingOneByteMore() throws IOException {
        byte[] body = PositionMap.encode(new TreeMap<>(Map.of("a.db", pos(1, 2))));
        assertThat(PositionMap.read(new ByteArrayInputStream(body), body.length)).containsKey("a.db");
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 0;
            }
        };
        assertThatThrownBy(() -> PositionMap.read(endless, 1000)).isInstanceOf(StreamProtocolException.class)
                .hasMessage("position map byte 1000: body longer than the limit of 1000 bytes");
        assertThat(served[0]).isEqualTo(1001);
        assertThatThrownBy(() -> PositionMap.read(InputStream.nullInputStream(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PositionMap.read(new ByteArrayInputStream(new byte[2]), 100))
                .isInstanceOf(StreamProtocolException.class).hasMessageContaining("payload ends inside count");
    }

    @Test
    void aSixteenMibBodyIsTheMaximum() throws IOException {
        // Entries of 255-byte names: count them up to just under 16 MiB, then pad the last name's way to exactly 16 MiB.
        TreeMap<String, LtxPosition> m = new TreeMap<>();
        int entryBytes = 2 + 255 + 16;
        int n = (PositionMap.MAX_BYTES - 4) / entryBytes;
        for (int i = 0; i < n; i++) {
            m.put(String.format("%010d", i) + "n".repeat(245), pos(i, i));
        }
        byte[] body = PositionMap.encode(m);
        assertThat(body.length).isLessThanOrEqualTo(PositionMap.MAX_BYTES);
        assertThat(PositionMap.read(new ByteArrayInputStream(body), PositionMap.MAX_BYTES)).hasSize(n);
        m.put("x".repeat(255), LtxPosition.ZERO);
        assertThatThrownBy(() -> PositionMap.encode(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 16777216");
        byte[] tooLong = Arrays.copyOf(body, PositionMap.MAX_BYTES + 1);
        assertThatThrownBy(() -> PositionMap.read(new ByteArrayInputStream(tooLong), PositionMap.MAX_BYTES))
                .hasMessageContaining("longer than the limit of 16777216 bytes");
    }

    @Test
    void randomMapsRoundTripAndRandomBytesNeverEscape() throws IOException {
        System.out.println("[PositionMapTest] seed " + SEED + " (rerun with -DargLine=-Dstream.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        for (int round = 0; round < 2000; round++) {
            TreeMap<String, LtxPosition> m = new TreeMap<>();
            int k = rnd.nextInt(30);
            for (int i = 0; i < k; i++) {
                m.put(TestFrames.randomName(rnd), pos(rnd.nextLong(), rnd.nextLong()));
            }
            byte[] body = PositionMap.encode(m);
            assertThat(body.length).isEqualTo(PositionMap.entriesLength(m));
            assertThat(PositionMap.read(TestFrames.chunked(body, 1 + rnd.nextInt(7)), PositionMap.MAX_BYTES))
                    .as("round %d", round).isEqualTo(m);
            if (body.length > 4) {
                byte[] bad = body.clone();
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
                try {
                    PositionMap.decode(bad); // a still-valid change (a txid byte, a name letter) is fine
                } catch (StreamProtocolException expected) {
                    assertThat(expected.getMessage()).startsWith("position map byte ");
                }
            }
        }
    }
}
