package io.snkv.internal.capture;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One daemon thread per JVM that fsyncs change-log files published at sync level NORMAL, soon after their
 * commits and off the committing thread (see {@link ChangeLog}). Each log queues at most one flush at a time.
 */
final class LogFlusher {
    private static final ExecutorService FLUSHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "snkv-ltx-flusher");
        t.setDaemon(true);
        return t;
    });

    private LogFlusher() {
    }

    static void schedule(Runnable flush) {
        FLUSHER.execute(flush);
    }
}
