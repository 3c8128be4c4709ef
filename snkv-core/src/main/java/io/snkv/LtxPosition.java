package io.snkv;

/**
 * A database's place in its change log: the TXID of the last committed transaction and the database
 * checksum after it (LTX's rolling checksum, with its top bit set; 0 only in {@link #ZERO}). Printed as
 * LiteFS prints positions: two runs of 16 lower-case hex digits, {@code <txid>/<checksum>}.
 */
public record LtxPosition(long txid, long checksum) {
    /** No transaction yet. */
    public static final LtxPosition ZERO = new LtxPosition(0, 0);

    @Override
    public String toString() {
        return io.snkv.ltx.LtxFileName.hex16(txid) + "/" + io.snkv.ltx.LtxFileName.hex16(checksum);
    }

    /** Parses {@link #toString()}'s form; {@link IllegalArgumentException} for anything else. */
    public static LtxPosition parse(String text) {
        if (text.length() != 33 || text.charAt(16) != '/') {
            throw new IllegalArgumentException("not a position (<16 hex>/<16 hex>): " + text);
        }
        try {
            return new LtxPosition(Long.parseUnsignedLong(hex(text, 0), 16), Long.parseUnsignedLong(hex(text, 17), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a position (<16 hex>/<16 hex>): " + text, e);
        }
    }

    private static String hex(String text, int from) {
        String s = text.substring(from, from + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("not lower-case hex: " + s);
            }
        }
        return s;
    }
}
