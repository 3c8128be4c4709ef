package io.snkv.bench;

import java.util.Arrays;

/**
 * Durations in nanoseconds, recorded one by one, summarised by nearest-rank percentiles (the p-th percentile of n
 * sorted samples is sample number ceil(p / 100 x n), counting from 1: always a recorded value). Not thread-safe.
 */
final class LatencyRecorder {

    private long[] samples;
    private int count;

    LatencyRecorder(int expected) {
        this.samples = new long[Math.max(16, expected)];
    }

    void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** The percentiles of what was recorded so far. */
    Summary summary() {
        if (count == 0) {
            throw new IllegalStateException("no samples recorded");
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return new Summary(sorted);
    }

    /** Sorted samples. Immutable. */
    static final class Summary {
        private final long[] sorted;

        private Summary(long[] sorted) {
            this.sorted = sorted;
        }

        int count() {
            return sorted.length;
        }

        /** Nearest rank; {@code percent} in (0, 100]. */
        long percentile(double percent) {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("a percentile is in (0, 100], got " + percent);
            }
            int rank = (int) Math.ceil(percent / 100 * sorted.length);
            return sorted[Math.max(rank, 1) - 1];
        }

        long median() {
            return percentile(50);
        }

        long min() {
            return sorted[0];
        }

        long max() {
            return sorted[sorted.length - 1];
        }
    }
}
