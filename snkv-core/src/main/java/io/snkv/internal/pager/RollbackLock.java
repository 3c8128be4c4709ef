package io.snkv.internal.pager;

import java.util.HashMap;
import java.util.Map;

/**
 * In-process stand-in for SQLite's SHARED / EXCLUSIVE file locks in rollback-journal mode: readers
 * share, a committing writer excludes every reader of other threads. A thread's own readers never block
 * its commit (they see the new pages afterwards, as statements of one SQLite connection do).
 */
final class RollbackLock {
    private final Map<Thread, Integer> shared = new HashMap<>();
    private Thread exclusive;

    synchronized void lockShared() {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        while (exclusive != null && exclusive != me) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        shared.merge(me, 1, Integer::sum);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void unlockShared() {
        Thread me = Thread.currentThread();
        shared.computeIfPresent(me, (t, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    /** Waits up to {@code timeoutMs} for other threads' readers to leave; false on timeout. */
    synchronized boolean lockExclusive(long timeoutMs) {
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (exclusive != null || othersShare(me)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        exclusive = me;
        return true;
    }

    synchronized void unlockExclusive() {
        exclusive = null;
        notifyAll();
    }

    private boolean othersShare(Thread me) {
        for (Thread t : shared.keySet()) {
            if (t != me) {
                return true;
            }
        }
        return false;
    }
}
