package io.snkv.bench;

import java.nio.charset.StandardCharsets;

/**
 * The keys and values of WORKLOADS.md as ASCII bytes: a prefix, the number as 8 zero-padded decimal digits (C
 * {@code %08d}), a suffix. Each call builds a new array, since the phases build their data inside the timed loops.
 */
final class WorkloadData {

    /** %08d stays 8 digits below this. */
    static final int MAX_NUMBER = 100_000_000;

    private static final byte[] NONE = new byte[0];
    private static final byte[] KEY = ascii("key_");
    private static final byte[] VALUE = ascii("value_");
    private static final byte[] VALUE_TAIL = ascii("_with_some_additional_data_to_make_it_realistic");
    private static final byte[] UPDATED_VALUE = ascii("updated_value_");
    private static final byte[] MIXED_VALUE = ascii("mixed_value_");
    private static final byte[] BULK_KEY = ascii("bulk_key_");
    private static final byte[] BULK_VALUE = ascii("bulk_value_");

    private WorkloadData() {
    }

    static byte[] key(int i) {
        return format(KEY, i, NONE);
    }

    static byte[] value(int i) {
        return format(VALUE, i, VALUE_TAIL);
    }

    static byte[] updatedValue(int i) {
        return format(UPDATED_VALUE, i, NONE);
    }

    static byte[] mixedValue(int i) {
        return format(MIXED_VALUE, i, NONE);
    }

    static byte[] bulkKey(int i) {
        return format(BULK_KEY, i, NONE);
    }

    static byte[] bulkValue(int i) {
        return format(BULK_VALUE, i, NONE);
    }

    private static byte[] format(byte[] prefix, int number, byte[] suffix) {
        byte[] out = new byte[prefix.length + 8 + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int rest = number;
        for (int at = prefix.length + 7; at >= prefix.length; at--) {
            out[at] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        System.arraycopy(suffix, 0, out, prefix.length + 8, suffix.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
