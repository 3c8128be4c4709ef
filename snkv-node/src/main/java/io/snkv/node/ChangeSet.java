package io.snkv.node;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The databases changed since a stream last looked: a coalescing set of names, never a queue
 * (REPLICATION.md 2.3), so a slow replica costs the committer nothing. Thread-safe.
 */
final class ChangeSet {
    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean closed;

    synchronized void mark(String name) {
        dirty.add(name);
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Waits up to {@code timeout} for a change; returns and clears the changed names (empty on timeout). */
    synchronized Set<String> await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (dirty.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Set<String> out = new LinkedHashSet<>(dirty);
        dirty.clear();
        return out;
    }
}
