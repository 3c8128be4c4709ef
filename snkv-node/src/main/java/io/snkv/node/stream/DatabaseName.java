package io.snkv.node.stream;

import java.nio.charset.StandardCharsets;

/**
 * The rule for a database name (REPLICATION.md 1): the database's file name in the served dir, 1..255
 * bytes of {@code [A-Za-z0-9._-]}, not starting with {@code .}, not ending in {@code -wal}, {@code -shm},
 * {@code -journal}, {@code -pos} or {@code .tmp}. The rule keeps a name from the wire from leaving the
 * served dir ({@code /}, {@code ..}), hiding ({@code .x}) or landing on a database's side files.
 *
 * <p>Because the allowed bytes are ASCII, a valid name's UTF-8 bytes and chars are the same, and
 * {@link String#compareTo} orders valid names by byte value, as the wire requires. Stateless.
 */
public final class DatabaseName {
    /** Longest name, in bytes. */
    public static final int MAX_LENGTH = 255;

    private static final String[] FORBIDDEN_SUFFIXES = {"-wal", "-shm", "-journal", "-pos", ".tmp"};

    private DatabaseName() {}

    /** True if {@code name} is a valid database name. */
    public static boolean isValid(String name) {
        return name != null && problem(name) == null;
    }

    /** Returns {@code name} if valid; else {@link IllegalArgumentException} saying which rule it breaks. */
    public static String validate(String name) {
        if (name == null) {
            throw new IllegalArgumentException("database name is null");
        }
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    /** Null if valid, else the rule broken, naming the (printable) name. */
    static String problem(String name) {
        int n = name.length();
        if (n == 0) {
            return "database name is empty";
        }
        for (int i = 0; i < n; i++) {
            if (!allowed(name.charAt(i))) {
                return "database name " + quote(name) + " has character " + describe(name.charAt(i))
                        + " at index " + i + " (only A-Z a-z 0-9 . _ - allowed)";
            }
        }
        // Only ASCII passed the loop, so chars are bytes from here on.
        if (n > MAX_LENGTH) {
            return "database name is " + n + " bytes, more than " + MAX_LENGTH;
        }
        if (name.charAt(0) == '.') {
            return "database name " + quote(name) + " starts with '.'";
        }
        for (String suffix : FORBIDDEN_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return "database name " + quote(name) + " ends in " + suffix;
            }
        }
        return null;
    }

    /** As {@link #problem(String)} for {@code len} raw bytes from the wire; the bytes are checked before any decoding. */
    static String problem(byte[] bytes, int off, int len) {
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xff;
            if (!allowed((char) b)) {
                String what = b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b);
                return "database name has " + what + " at index " + i + " (only A-Z a-z 0-9 . _ - allowed)";
            }
        }
        return problem(new String(bytes, off, len, StandardCharsets.US_ASCII));
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    // Names in messages are already known to be short printable ASCII, or cut and escaped here.
    private static String quote(String name) {
        StringBuilder sb = new StringBuilder("\"");
        int max = Math.min(name.length(), 64);
        for (int i = 0; i < max; i++) {
            char c = name.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        if (name.length() > max) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
