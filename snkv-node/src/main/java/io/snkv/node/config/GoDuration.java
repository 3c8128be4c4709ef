package io.snkv.node.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Durations in Go's text form, as {@code time.ParseDuration} reads them and {@code Duration.String}
 * writes them: {@code 500ms}, {@code 1m30s}, {@code -1.5h}, {@code 0}. node.yml keeps LiteFS's syntax,
 * so a file that LiteFS accepts means the same here.
 *
 * <p>Units: {@code ns}, {@code us}, {@code µs} (U+00B5) and {@code μs} (U+03BC), {@code ms}, {@code s},
 * {@code m}, {@code h}; no days (Go has none: days differ in length). Several parts add up
 * ({@code 1h2m3.5s}); a part may be a decimal fraction. The range is Go's: a signed 64-bit count of
 * nanoseconds, about ±292 years. Parsing follows Go step by step, including its overflow checks and
 * its float arithmetic for fractions, so the same text gives the same nanoseconds.
 *
 * <p>Stateless; safe from any thread.
 */
public final class GoDuration {
    private static final long MICROSECOND = 1_000L;
    private static final long MILLISECOND = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    /** 1 << 63 as an unsigned value: the magnitude of Go's most negative duration. */
    private static final long TWO_POW_63 = Long.MIN_VALUE;

    private GoDuration() {}

    /**
     * Reads Go's duration syntax: {@code [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+}, or {@code 0} alone.
     *
     * @throws IllegalArgumentException with Go's own message ({@code time: invalid duration "10 minutes"},
     *     {@code time: missing unit in duration "600"}, {@code time: unknown unit "d" in duration "1d"})
     */
    public static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        // All sums below are unsigned: Go adds magnitudes up to 1 << 63 and applies the sign last.
        long total = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (!(c == '.' || isDigit(c))) {
                throw invalid(text);
            }
            int intStart = i;
            long whole = 0;
            for (; i < n && isDigit(s.charAt(i)); i++) {
                if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_POW_63, 10)) > 0) {
                    throw invalid(text);
                }
                whole = whole * 10 + (s.charAt(i) - '0');
                if (Long.compareUnsigned(whole, TWO_POW_63) > 0) {
                    throw invalid(text);
                }
            }
            boolean digitsBeforePoint = i != intStart;

            long fraction = 0;
            double scale = 1;
            boolean digitsAfterPoint = false;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean overflow = false;
                // Go keeps the digits that fit and skips the rest: they are below a nanosecond anyway.
                for (; i < n && isDigit(s.charAt(i)); i++) {
                    if (overflow) {
                        continue;
                    }
                    if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                        overflow = true;
                        continue;
                    }
                    long next = fraction * 10 + (s.charAt(i) - '0');
                    if (Long.compareUnsigned(next, TWO_POW_63) > 0) {
                        overflow = true;
                        continue;
                    }
                    fraction = next;
                    scale *= 10;
                }
                digitsAfterPoint = i != fractionStart;
            }
            if (!digitsBeforePoint && !digitsAfterPoint) {
                throw invalid(text);
            }

            int unitStart = i;
            for (; i < n; i++) {
                char u = s.charAt(i);
                if (u == '.' || isDigit(u)) {
                    break;
                }
            }
            if (i == unitStart) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            }
            String unitName = s.substring(unitStart, i);
            long unit = unitNanos(unitName);
            if (unit == 0) {
                throw new IllegalArgumentException(
                        "time: unknown unit " + quote(unitName) + " in duration " + quote(text));
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_POW_63, unit)) > 0) {
                throw invalid(text);
            }
            long part = whole * unit;
            if (fraction != 0) {
                // Go's float64 arithmetic, kept as is so fractions of hours round the same way.
                part += (long) (unsignedToDouble(fraction) * ((double) unit / scale));
                if (Long.compareUnsigned(part, TWO_POW_63) > 0) {
                    throw invalid(text);
                }
            }
            total += part;
            if (Long.compareUnsigned(total, TWO_POW_63) > 0) {
                throw invalid(text);
            }
        }
        if (negative) {
            return Duration.ofNanos(-total);
        }
        if (total < 0) {
            throw invalid(text); // exactly 1 << 63: only its negative fits
        }
        return Duration.ofNanos(total);
    }

    /**
     * Writes a duration as Go's {@code Duration.String} does: {@code 0s}, {@code 1.5µs}, {@code 500ms},
     * {@code 1m30s}, {@code 1h0m0s}; the shortest exact form, no trailing zeros.
     *
     * @throws IllegalArgumentException if the duration is outside Go's range (signed 64-bit nanoseconds)
     */
    public static String format(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration outside Go's range (about ±292 years): " + duration);
        }
        boolean negative = nanos < 0;
        long u = negative ? -nanos : nanos; // unsigned; Long.MIN_VALUE stays 1 << 63
        StringBuilder reversed = new StringBuilder(32);
        if (Long.compareUnsigned(u, SECOND) < 0) {
            // Below a second Go picks the largest unit under the value, like 1.2ms.
            reversed.append('s');
            int precision;
            if (u == 0) {
                return "0s";
            } else if (u < MICROSECOND) {
                precision = 0;
                reversed.append('n');
            } else if (u < MILLISECOND) {
                precision = 3;
                reversed.append('µ');
            } else {
                precision = 6;
                reversed.append('m');
            }
            u = appendFraction(reversed, u, precision);
            appendInteger(reversed, u);
        } else {
            reversed.append('s');
            u = appendFraction(reversed, u, 9);
            appendInteger(reversed, Long.remainderUnsigned(u, 60));
            u = Long.divideUnsigned(u, 60);
            if (u > 0) {
                reversed.append('m');
                appendInteger(reversed, u % 60);
                u /= 60;
                // Hours are the largest unit: days differ in length.
                if (u > 0) {
                    reversed.append('h');
                    appendInteger(reversed, u);
                }
            }
        }
        if (negative) {
            reversed.append('-');
        }
        return reversed.reverse().toString();
    }

    /** Appends v / 10^precision's fraction digits (reversed, trailing zeros and a bare point omitted). */
    private static long appendFraction(StringBuilder reversed, long v, int precision) {
        boolean print = false;
        for (int i = 0; i < precision; i++) {
            long digit = Long.remainderUnsigned(v, 10);
            print = print || digit != 0;
            if (print) {
                reversed.append((char) ('0' + digit));
            }
            v = Long.divideUnsigned(v, 10);
        }
        if (print) {
            reversed.append('.');
        }
        return v;
    }

    private static void appendInteger(StringBuilder reversed, long v) {
        if (v == 0) {
            reversed.append('0');
            return;
        }
        while (v != 0) {
            reversed.append((char) ('0' + Long.remainderUnsigned(v, 10)));
            v = Long.divideUnsigned(v, 10);
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> MICROSECOND;
            case "ms" -> MILLISECOND;
            case "s" -> SECOND;
            case "m" -> MINUTE;
            case "h" -> HOUR;
            default -> 0L;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : ((double) (v >>> 1)) * 2.0 + (v & 1);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    /** Go's {@code time.quote}: printable ASCII as is, every other byte of the UTF-8 text as \xNN. */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < ' ' || cp >= 0x80) {
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    b.append(String.format("\\x%02x", x & 0xFF));
                }
            } else {
                if (cp == '"' || cp == '\\') {
                    b.append('\\');
                }
                b.append((char) cp);
            }
        }
        return b.append('"').toString();
    }
}
