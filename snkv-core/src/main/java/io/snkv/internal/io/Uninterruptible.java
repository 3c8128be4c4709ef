package io.snkv.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@code FileChannel} call on a private thread that nobody interrupts.
 *
 * <p>Why: a {@code FileChannel} is an {@code InterruptibleChannel}. If the calling thread is interrupted
 * during a blocking call (read, write, size, truncate, force, map, lock), or merely has its interrupt flag
 * set when it makes one, the JDK closes the channel; closing any descriptor of a file drops every POSIX lock this process holds on it. A task
 * cancelled with {@code Future.cancel(true)} would thereby silently unlock the database for every
 * connection in the JVM. Calls made here cost a thread hand-off, so only rare calls (map, grow, truncate)
 * go through it; the caller still sees its own interrupt flag set afterwards.
 */
final class Uninterruptible {
    interface IoCall<T> {
        T call() throws IOException;
    }

    interface IoRun {
        void run() throws IOException;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "snkv-io-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Uninterruptible() {
    }

    static void run(IoRun r) throws IOException {
        call(() -> {
            r.run();
            return null;
        });
    }

    static <T> T call(IoCall<T> c) throws IOException {
        Future<T> f = WORKERS.submit(() -> {
            try {
                return c.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the call regardless; restore the flag below
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IOException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
