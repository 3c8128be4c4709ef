package io.snkv.bench;

import java.util.Locale;

/**
 * One standard-output line of {@link ReplicationBench}: space-separated {@code key=value} pairs, keys in lower case
 * with underscores, values without spaces, numbers with a dot in every locale, e.g.
 * {@code scenario=lag rate=1000 commits=5000 p50_ms=0.412 p99_ms=1.870 max_ms=4.102}. Not thread-safe.
 */
final class FigureLine {

    private final StringBuilder text = new StringBuilder();

    private FigureLine(String key, String value) {
        add(key, value);
    }

    /** A line whose first pair names what it is ({@code scenario=...}, {@code check=...}, {@code summary=...}). */
    static FigureLine of(String key, String value) {
        return new FigureLine(key, value);
    }

    FigureLine add(String key, String value) {
        if (!key.matches("[a-z][a-z0-9_]*") || value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not a figure pair: " + key + "=" + value);
        }
        if (text.length() > 0) {
            text.append(' ');
        }
        text.append(key).append('=').append(value);
        return this;
    }

    FigureLine add(String key, long value) {
        return add(key, Long.toString(value));
    }

    /** {@code value} with {@code places} decimals. */
    FigureLine add(String key, double value, int places) {
        return add(key, String.format(Locale.ROOT, "%." + places + "f", value));
    }

    /** A duration in milliseconds with 3 decimals (microsecond steps). */
    FigureLine millis(String key, long nanos) {
        return add(key, nanos / 1e6, 3);
    }

    /** {@code yes} or {@code no}. */
    FigureLine add(String key, boolean value) {
        return add(key, value ? "yes" : "no");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
