package io.snkv;

import java.security.SecureRandom;

/**
 * The seed of a randomized test: the {@code snkv.seed} system property when set, a fresh random one
 * otherwise. Always printed, so any run can be repeated with {@code -Dsnkv.seed=<seed>}.
 */
final class TestSeed {
    static final String PROPERTY = "snkv.seed";

    private TestSeed() {
    }

    /** Resolves and prints the seed for {@code testName}. */
    static long resolve(String testName) {
        String given = System.getProperty(PROPERTY);
        long seed = given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given.trim());
        System.out.println("[" + testName + "] seed=" + seed + (given == null ? " (random)" : " (from -D" + PROPERTY + ")")
                + "; re-run with -D" + PROPERTY + "=" + seed);
        System.out.flush();
        return seed;
    }

    /** A well-mixed seed for sub-run {@code index} of a test whose base seed is {@code base}. */
    static long derive(long base, long index) {
        long z = base + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
