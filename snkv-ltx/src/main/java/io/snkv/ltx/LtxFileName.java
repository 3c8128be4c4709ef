package io.snkv.ltx;

import java.util.regex.Pattern;

/** LTX file names: {@code <min TXID, 16 hex digits>-<max TXID, 16 hex digits>.ltx}. */
public final class LtxFileName {
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.ltx");

    private LtxFileName() {}

    /** The TXID range a file name stands for. */
    public record TxidRange(long minTxid, long maxTxid) {}

    public static String format(long minTxid, long maxTxid) {
        // On every commit's path (twice): String.format costs microseconds, this a few dozen nanoseconds.
        return hex16(minTxid) + "-" + hex16(maxTxid) + ".ltx";
    }

    /** Parses a name written by {@link #format}; lower-case hex only, as written. */
    public static TxidRange parse(String name) {
        var m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an LTX file name: " + name);
        }
        return new TxidRange(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
    }

    /** {@code v} as 16 lower-case hex digits, zero-padded (as {@code %016x}). */
    public static String hex16(long v) {
        return HEX.toHexDigits(v);
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();
}
