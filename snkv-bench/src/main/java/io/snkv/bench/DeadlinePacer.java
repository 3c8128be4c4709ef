package io.snkv.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a loop at a fixed rate by deadlines: turn i starts at start + i / rate, so a late turn (a slow commit, a
 * park that overslept) does not shift the turns after it; a loop that falls behind runs unpaced until it is back on
 * schedule. Waits by parking, not spinning, so it leaves the cores to the nodes (a park may overshoot by the
 * scheduler's slack, typically 50-100 us on Linux). Not thread-safe.
 */
final class DeadlinePacer {

    private final long start;
    private final double intervalNanos;
    private int late;

    DeadlinePacer(int perSecond, long startNanos) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("a pace needs a positive rate, got " + perSecond);
        }
        this.start = startNanos;
        this.intervalNanos = 1e9 / perSecond;
    }

    /** Parks until turn {@code i}'s deadline; returns at once if it has passed. */
    void awaitTurn(int i) {
        long deadline = start + (long) (i * intervalNanos);
        long left = deadline - System.nanoTime();
        if (left < 0 && i > 0) {
            late++;
        }
        while (left > 0) {
            LockSupport.parkNanos(left);
            left = deadline - System.nanoTime();
        }
    }

    /** Turns whose deadline had already passed when they were awaited (a loop that could not keep the pace). */
    int lateTurns() {
        return late;
    }
}
