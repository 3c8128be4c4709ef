package io.snkv.bench;

/**
 * A pace for the primary's commits in {@link RateLagScenario}: a number per second, or {@link #MAX} (as fast as
 * one thread commits, for a fixed count). Immutable.
 *
 * @param perSecond commits a second; 0 for {@link #MAX}
 */
record CommitRate(int perSecond) {

    static final CommitRate MAX = new CommitRate(0);

    CommitRate {
        if (perSecond < 0) {
            throw new IllegalArgumentException("a commit rate must be positive, got " + perSecond);
        }
    }

    /** {@code max}, or a positive integer. */
    static CommitRate parse(String text) {
        if (text.equals("max")) {
            return MAX;
        }
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return new CommitRate(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("a rate is a positive integer or max, got " + text);
    }

    boolean isMax() {
        return perSecond == 0;
    }

    /** As the option and the figure lines spell it. */
    String label() {
        return isMax() ? "max" : Integer.toString(perSecond);
    }
}
