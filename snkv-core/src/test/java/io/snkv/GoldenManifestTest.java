package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest parser and value rule, checked against hand-made lines and against the golden files' bytes. */
class GoldenManifestTest {

    @Test
    void parsesFlatObjectsWithEveryValueShape() {
        Map<String, Object> f = GoldenManifest.parseFlatObject(
                " { \"s\" : \"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\" , \"n\":-42,\"big\":4102444800000,"
                        + "\"d\":1.5e3,\"t\":true,\"f\":false,\"z\":null,\"e\":\"\"} ");
        assertThat(f).containsEntry("s", "a\"b\\c/d\n\t\u00e9\ud83d\ude00")
                .containsEntry("n", -42L)
                .containsEntry("big", 4102444800000L)
                .containsEntry("d", 1500.0)
                .containsEntry("t", true)
                .containsEntry("f", false)
                .containsEntry("z", null)
                .containsEntry("e", "");
        assertThat(f.keySet()).containsExactly("s", "n", "big", "d", "t", "f", "z", "e");
        assertThat(GoldenManifest.parseFlatObject("{}")).isEmpty();
    }

    @Test
    void rejectsWhatIsNotOneFlatObject() {
        for (String bad : List.of("", "{", "{\"a\":1", "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":1}x",
                "{\"a\":1,\"a\":2}", "{\"a\":\"unterminated}", "{\"a\":\"\\x\"}", "{a:1}", "{\"a\":}",
                "{\"a\":1,}", "{\"a\":99999999999999999999}", "{\"a\":\"\\u12\"}")) {
            assertThatThrownBy(() -> GoldenManifest.parseFlatObject(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void manifestLinesWithBadEntriesAreRejectedWithTheirLineNumber() {
        String format = "{\"format\":\"x\"}";
        assertThatThrownBy(() -> GoldenManifest.parse(List.of(format,
                "{\"file\":\"a.db\",\"cf\":\"default\",\"key_hex\":\"00\",\"value_len\":2,\"value_hex\":\"00\"}")))
                .hasMessageContaining("line 2").hasMessageContaining("value_len");
        assertThatThrownBy(() -> GoldenManifest.parse(List.of(format,
                "{\"file\":\"a.db\",\"cf\":\"default\",\"key_hex\":\"00\",\"value_len\":3,\"value_rule\":\"pattern(4,1)\"}")))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> GoldenManifest.parse(List.of(format,
                "{\"file\":\"a.db\",\"cf\":\"default\",\"key_hex\":\"00\",\"value_len\":3}")))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> GoldenManifest.parse(List.of("{\"file\":\"a.db\",\"describe\":\"d\"}")))
                .hasMessageContaining("no format line");
    }

    @Test
    void parsesValueRuleWithSpacesAndLargeSeeds() {
        GoldenManifest m = GoldenManifest.parse(List.of("{\"format\":\"x\"}",
                "{\"file\":\"a.db\",\"cf\":\"default\",\"key_hex\":\"01\",\"value_len\":8,\"value_rule\":\"pattern( 8 , 4294967295 )\"}"));
        assertThat(m.entries("a.db")).singleElement()
                .satisfies(e -> assertThat(e.value()).isEqualTo(GoldenManifest.pattern(8, 4294967295L)));
    }

    @Test
    void formatLineStatesTheRuleThisParserImplements() {
        String format = GoldenManifest.load().format();
        for (String piece : GoldenManifest.VALUE_RULE_TEXT) {
            assertThat(format).contains(piece);
        }
    }

    @Test
    void patternMatchesIndependentlyComputedBytes() {
        // Computed with a separate Python implementation of the rule on line 1.
        assertThat(GoldenManifest.toHex(GoldenManifest.pattern(16, 1))).isEqualTo("7235548658c86f6cc4124f3194e4b6af");
        assertThat(GoldenManifest.toHex(GoldenManifest.pattern(8, 0))).isEqualTo("2101c54fd1d01ab2");
        assertThat(GoldenManifest.toHex(GoldenManifest.pattern(8, 5299))).isEqualTo("ed38e9997e874499");
        assertThat(GoldenManifest.toHex(GoldenManifest.pattern(8, 4294967295L))).isEqualTo("f1942bbfc59b4612");
        assertThat(GoldenManifest.pattern(0, 7)).isEmpty();
        // a prefix of a longer pattern is the shorter pattern
        assertThat(Arrays.copyOf(GoldenManifest.pattern(5000, 3), 1000)).isEqualTo(GoldenManifest.pattern(1000, 3));
    }

    @Test
    void entryCountsMatchTheFileDescriptions() {
        GoldenManifest m = GoldenManifest.load();
        assertThat(m.content("empty.db", "default").size()).isZero();
        assertThat(m.content("small.db", "default").size()).isEqualTo(1007);
        assertThat(m.content("big.db", "default").entries().values()).extracting(v -> v.length)
                .containsExactlyInAnyOrder(1000, 4061, 5000, 100000, 1048576, 10485760);
        assertThat(m.content("cf.db", "default").size()).isEqualTo(1);
        assertThat(m.content("cf.db", "users").size()).isEqualTo(200);
        assertThat(m.content("cf.db", "orders").size()).isEqualTo(200);
        assertThat(m.content("freelist.db", "default").size()).isEqualTo(1667);
        assertThat(m.content("freelist.db", "default").absentKeys()).extracting(GoldenManifest::toHex)
                .containsExactly("62696764656c"); // "bigdel"
        assertThat(m.content("journal-delete.db", "default").size()).isEqualTo(500);
        assertThat(m.content("wal-uncheckpointed.db", "default").size()).isEqualTo(300);
        assertThat(m.content("pagesize-1024.db", "default").size()).isEqualTo(300);
        assertThat(m.content("pagesize-65536.db", "default").size()).isEqualTo(300);
        assertThat(m.description("wal-uncheckpointed.db")).hasValueSatisfying(d -> assertThat(d).contains("3 transactions"));
    }

    @Test
    void storeOrderIsUnsignedBytewiseWithShorterKeysFirst() {
        List<byte[]> keys = GoldenManifest.load().content("small.db", "default").entries().keySet().stream().toList();
        assertThat(GoldenManifest.toHex(keys.get(0))).isEqualTo("00");
        assertThat(GoldenManifest.toHex(keys.get(1))).isEqualTo("00010002");
        assertThat(GoldenManifest.toHex(keys.get(keys.size() - 1))).isEqualTo("fffe00");
        int a = indexOfHex(keys, "61");
        assertThat(GoldenManifest.toHex(keys.get(a + 1))).isEqualTo("6162");
        assertThat(GoldenManifest.toHex(keys.get(a + 2))).isEqualTo("616263");
    }

    /** Small entries sit whole in their leaf cell as [key length BE][key][value]: find each blob in the file. */
    @Test
    void smallEntriesAppearVerbatimInTheGoldenFile() {
        for (String file : List.of("small.db", "journal-delete.db", "freelist.db")) {
            String db = latin1(GoldenFiles.read(file));
            for (var e : GoldenManifest.load().content(file, "default").entries().entrySet()) {
                byte[] blob = ByteBuffer.allocate(4 + e.getKey().length + e.getValue().length)
                        .putInt(e.getKey().length).put(e.getKey()).put(e.getValue()).array();
                assertThat(db.indexOf(latin1(blob))).as("%s entry %s", file, GoldenManifest.toHex(e.getKey()))
                        .isNotNegative();
            }
        }
    }

    /** The value rule reproduces the golden file's bytes: each big value's first 100 bytes are in big.db. */
    @Test
    void patternValuesAppearInTheGoldenFile() {
        byte[] db = GoldenFiles.read("big.db");
        for (byte[] value : GoldenManifest.load().content("big.db", "default").entries().values()) {
            assertThat(indexOf(db, Arrays.copyOf(value, 100))).isNotNegative();
        }
    }

    private static int indexOfHex(List<byte[]> keys, String hex) {
        for (int i = 0; i < keys.size(); i++) {
            if (GoldenManifest.toHex(keys.get(i)).equals(hex)) {
                return i;
            }
        }
        throw new AssertionError("no key " + hex);
    }

    /** Byte search through Latin-1 strings: one char per byte, and String.indexOf is fast. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        return latin1(haystack).indexOf(latin1(needle));
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
