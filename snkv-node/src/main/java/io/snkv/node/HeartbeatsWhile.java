package io.snkv.node;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a heartbeat every second from a background thread until closed: for work on a stream's thread that
 * writes no frame for a while (spooling a snapshot), since the primary may stay silent for at most 1 s
 * (REPLICATION.md 2.4). The frame writer is synchronized, so the beats never interleave with a frame.
 */
final class HeartbeatsWhile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatsWhile.class);
    static final long INTERVAL_MS = 1_000;

    /** One heartbeat frame. */
    interface Beat {
        void send() throws IOException;
    }

    private final Thread thread;
    private volatile boolean done;

    HeartbeatsWhile(Beat beat) {
        thread = new Thread(() -> {
            while (!done) {
                try {
                    Thread.sleep(INTERVAL_MS);
                    if (!done) {
                        beat.send();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.debug("heartbeat failed: {}", e.toString()); // the stream's own write fails next
                    return;
                }
            }
        }, "snkv-stream-heartbeat");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
