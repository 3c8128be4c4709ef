package io.snkv.internal.pager;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon thread per JVM that releases read locks connections keep between transactions once they
 * have been idle for {@link #IDLE_MILLIS}: a lingering read mark holds back other processes'
 * checkpoints, so it may linger only briefly.
 */
final class LockReaper {
    static final long IDLE_MILLIS = 50;
    private static final Set<SharedWal> WATCHED = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private LockReaper() {
    }

    static synchronized void watch(SharedWal w) {
        WATCHED.add(w);
        if (thread == null) {
            thread = new Thread(LockReaper::run, "snkv-lock-reaper");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void run() {
        long idle = IDLE_MILLIS * 1_000_000L;
        while (true) {
            try {
                Thread.sleep(IDLE_MILLIS / 2);
            } catch (InterruptedException e) {
                return;
            }
            WATCHED.removeIf(w -> w.reap(idle));
        }
    }
}
