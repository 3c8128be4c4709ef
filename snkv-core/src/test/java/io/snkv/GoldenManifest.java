package io.snkv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The golden files' {@code manifest.jsonl}: what each golden file holds, parsed without a JSON library.
 *
 * <p>Each line is one flat JSON object (string, number, boolean or null fields; no nesting). Line 1 holds
 * {@code format}, the text that defines the value rule. Other lines have {@code file} and one of:
 * <ul>
 *   <li>{@code describe}: what the file is;</li>
 *   <li>{@code key_hex} (with {@code cf}, {@code value_len} and either {@code value_hex} or
 *       {@code value_rule = "pattern(n,seed)"}; the seed is the rule's second argument): a live entry;</li>
 *   <li>{@code absent_key_hex} (with {@code cf}): a key that must not be found.</li>
 * </ul>
 * Other fields ({@code why}, {@code password}, {@code expire_ms}) are kept in {@link Entry#fields()}.
 */
final class GoldenManifest {
    /** The value rule's text as line 1 states it; {@link #pattern} implements exactly this. */
    static final List<String> VALUE_RULE_TEXT = List.of(
            "pattern(n, seed) = n bytes from a 32-bit xorshift",
            "x = (seed*2654435761 + 1) mod 2^32",
            "for each byte: x ^= (x<<13) mod 2^32; x ^= x>>17; x ^= (x<<5) mod 2^32; byte = x & 0xff");

    private static final Pattern VALUE_RULE = Pattern.compile("pattern\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");
    private static final HexFormat HEX = HexFormat.of();
    private static GoldenManifest loaded;

    /** One live entry the manifest lists. */
    record Entry(String file, String cf, byte[] key, byte[] value, Map<String, Object> fields) {
        @Override
        public String toString() {
            return file + " " + cf + " " + toHex(key) + " (" + value.length + " bytes)";
        }
    }

    /** One key the manifest says must not be found. */
    record AbsentKey(String file, String cf, byte[] key) {
    }

    private final String format;
    private final Map<String, String> descriptions;
    private final List<Entry> entries;
    private final List<AbsentKey> absentKeys;

    private GoldenManifest(String format, Map<String, String> descriptions, List<Entry> entries,
                           List<AbsentKey> absentKeys) {
        this.format = format;
        this.descriptions = descriptions;
        this.entries = entries;
        this.absentKeys = absentKeys;
    }

    /** The golden directory's manifest, parsed once per JVM. */
    static synchronized GoldenManifest load() {
        if (loaded == null) {
            loaded = parse(GoldenFiles.manifest());
        }
        return loaded;
    }

    static GoldenManifest parse(Path manifest) {
        try {
            return parse(Files.readAllLines(manifest, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenManifest parse(List<String> lines) {
        String format = null;
        Map<String, String> descriptions = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        List<AbsentKey> absent = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            try {
                Map<String, Object> fields = parseFlatObject(line);
                if (fields.containsKey("format")) {
                    format = string(fields, "format");
                } else if (fields.containsKey("describe")) {
                    descriptions.put(string(fields, "file"), string(fields, "describe"));
                } else if (fields.containsKey("key_hex")) {
                    entries.add(entry(fields));
                } else if (fields.containsKey("absent_key_hex")) {
                    absent.add(new AbsentKey(string(fields, "file"), string(fields, "cf"),
                            fromHex(string(fields, "absent_key_hex"))));
                } else {
                    throw new IllegalArgumentException("record has none of format, describe, key_hex, absent_key_hex");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("manifest line " + lineNo + ": " + e.getMessage() + ": " + line, e);
            }
        }
        if (format == null) {
            throw new IllegalArgumentException("manifest has no format line");
        }
        return new GoldenManifest(format, Collections.unmodifiableMap(descriptions), List.copyOf(entries),
                List.copyOf(absent));
    }

    private static Entry entry(Map<String, Object> fields) {
        String file = string(fields, "file");
        String cf = string(fields, "cf");
        byte[] key = fromHex(string(fields, "key_hex"));
        long valueLen = number(fields, "value_len");
        boolean hasHex = fields.containsKey("value_hex");
        boolean hasRule = fields.containsKey("value_rule");
        if (hasHex == hasRule) {
            throw new IllegalArgumentException("an entry needs exactly one of value_hex and value_rule");
        }
        byte[] value;
        if (hasHex) {
            value = fromHex(string(fields, "value_hex"));
        } else {
            String rule = string(fields, "value_rule");
            Matcher m = VALUE_RULE.matcher(rule);
            if (!m.matches()) {
                throw new IllegalArgumentException("value_rule is not pattern(n,seed): " + rule);
            }
            long n = Long.parseLong(m.group(1));
            if (n != valueLen) {
                throw new IllegalArgumentException("value_rule length " + n + " != value_len " + valueLen);
            }
            value = pattern(Math.toIntExact(n), Long.parseLong(m.group(2)));
        }
        if (value.length != valueLen) {
            throw new IllegalArgumentException("value has " + value.length + " bytes, value_len says " + valueLen);
        }
        return new Entry(file, cf, key, value, Collections.unmodifiableMap(fields));
    }

    /** Line 1's text. */
    String format() {
        return format;
    }

    /** Every file named by a record, in manifest order. */
    Set<String> files() {
        Set<String> files = new LinkedHashSet<>(descriptions.keySet());
        entries.forEach(e -> files.add(e.file()));
        absentKeys.forEach(a -> files.add(a.file()));
        return files;
    }

    Optional<String> description(String file) {
        return Optional.ofNullable(descriptions.get(file));
    }

    /** Live entries of {@code file} in every column family, in manifest order. */
    List<Entry> entries(String file) {
        return entries.stream().filter(e -> e.file().equals(file)).toList();
    }

    List<AbsentKey> absentKeys(String file) {
        return absentKeys.stream().filter(a -> a.file().equals(file)).toList();
    }

    /** Column family {@code cf} of {@code file}: its entries in store order and its absent keys. */
    ExpectedContent content(String file, String cf) {
        if (!files().contains(file)) {
            throw new IllegalArgumentException("the manifest does not list " + file);
        }
        ExpectedContent.Builder b = new ExpectedContent.Builder();
        for (Entry e : entries) {
            if (e.file().equals(file) && e.cf().equals(cf)) {
                b.entry(e.key(), e.value());
            }
        }
        for (AbsentKey a : absentKeys) {
            if (a.file().equals(file) && a.cf().equals(cf)) {
                b.absentKey(a.key());
            }
        }
        return b.build();
    }

    /**
     * The manifest's value rule: {@code n} bytes of a 32-bit xorshift started at
     * {@code x = (seed * 2654435761 + 1) mod 2^32}; per byte {@code x ^= x<<13; x ^= x>>>17; x ^= x<<5}
     * (all mod 2^32), byte = low 8 bits of x.
     */
    static byte[] pattern(int n, long seed) {
        int x = (int) (seed * 2654435761L + 1); // the low 32 bits: mod 2^32
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17; // x is unsigned in the rule: logical shift
            x ^= x << 5;
            out[i] = (byte) x;
        }
        return out;
    }

    static byte[] fromHex(String hex) {
        return HEX.parseHex(hex);
    }

    static String toHex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static String string(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("field " + name + " is " + (v == null ? "missing" : "not a string"));
        }
        return s;
    }

    private static long number(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("field " + name + " is " + (v == null ? "missing" : "not an integer"));
        }
        return l;
    }

    // ---- flat JSON object parser ----

    /**
     * Parses one flat JSON object. Values: strings (all JSON escapes, including surrogate pairs) become
     * {@link String}; integers {@link Long}; other numbers {@link Double}; {@code true}/{@code false}
     * {@link Boolean}; {@code null} a null value. Nested objects or arrays, duplicate names and trailing
     * text are errors.
     */
    static Map<String, Object> parseFlatObject(String text) {
        return new FlatObjectParser(text).parse();
    }

    private static final class FlatObjectParser {
        private final String s;
        private int pos;

        FlatObjectParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> fields = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    skipSpace();
                    String name = readString();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    Object value = readValue();
                    if (fields.containsKey(name)) {
                        throw error("duplicate field " + name);
                    }
                    fields.put(name, value);
                    skipSpace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw error("expected ',' or '}' but found '" + c + "'");
                    }
                }
            }
            skipSpace();
            if (pos != s.length()) {
                throw error("text after the object");
            }
            return fields;
        }

        private Object readValue() {
            char c = peek();
            if (c == '"') {
                return readString();
            }
            if (c == '{' || c == '[') {
                throw error("nested values are not supported in a flat object");
            }
            if (s.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            return readNumber();
        }

        private Object readNumber() {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                throw error("expected a value");
            }
            boolean integer = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integer = false;
                pos++;
                int frac = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos == frac) {
                    throw error("digits expected after '.'");
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integer = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                int exp = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos == exp) {
                    throw error("digits expected in the exponent");
                }
            }
            String number = s.substring(start, pos);
            if (integer) {
                try {
                    return Long.parseLong(number);
                } catch (NumberFormatException e) {
                    throw error("integer out of range: " + number);
                }
            }
            return Double.parseDouble(number);
        }

        private String readString() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end of line");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            char got = next();
            if (got != c) {
                throw error("expected '" + c + "' but found '" + got + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at column " + (pos + 1));
        }
    }
}
