package io.snkv.bench;

import java.util.Arrays;

/** The timed runs of one operation over a fixed number of bytes, as rates in MB/s (10^6 bytes a second). Immutable. */
final class Throughput {

    private final String operation;
    private final double[] sortedRates;

    Throughput(String operation, long bytesPerRun, long[] runNanos) {
        if (runNanos.length == 0) {
            throw new IllegalArgumentException("no runs of " + operation);
        }
        this.operation = operation;
        this.sortedRates = Arrays.stream(runNanos).mapToDouble(n -> bytesPerRun / (Math.max(n, 1) / 1e9) / 1e6)
                .sorted().toArray();
    }

    String operation() {
        return operation;
    }

    /** The median of the runs' rates (the mean of the middle two for an even count). */
    double median() {
        int n = sortedRates.length;
        return n % 2 == 1 ? sortedRates[n / 2] : (sortedRates[n / 2 - 1] + sortedRates[n / 2]) / 2;
    }

    /** The slowest run's rate. */
    double min() {
        return sortedRates[0];
    }

    /** The fastest run's rate. */
    double max() {
        return sortedRates[sortedRates.length - 1];
    }
}
