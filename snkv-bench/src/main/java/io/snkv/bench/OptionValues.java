package io.snkv.bench;

/** Option values the benchmarks' command lines share, each refused with one line naming the option. */
final class OptionValues {
    private OptionValues() {
    }

    /** An integer of at least {@code min}. */
    static int atLeast(String option, String value, int min) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes an integer >= " + min + ", got " + value);
    }

    /** Any long (a seed). */
    static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes an integer, got " + value);
        }
    }
}
