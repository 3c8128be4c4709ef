package io.snkv.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * "Headers within 10 s" (REPLICATION.md 6) for Jetty, which has no such setting (its idle timeout restarts with
 * every byte, so a client trickling a header a byte at a time holds a connection for ever): each new connection
 * gets a deadline, cancelled when its first request reaches the handler ({@link #headersArrived}); a connection
 * still without a whole request at the deadline is closed. Later requests on a kept-alive connection are bounded
 * by the idle timeout alone (30 s without a byte), since Jetty does not tell when a next request begins.
 * Thread-safe.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final long deadlineMs;
    private final Map<Connection, Scheduler.Task> pending = new ConcurrentHashMap<>();

    HeaderDeadline(Scheduler scheduler, long deadlineMs) {
        this.scheduler = scheduler;
        this.deadlineMs = deadlineMs;
    }

    @Override
    public void onOpened(Connection c) {
        pending.put(c, scheduler.schedule(() -> expire(c), deadlineMs, TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection c) {
        Scheduler.Task t = pending.remove(c);
        if (t != null) {
            t.cancel();
        }
    }

    /** A request of {@code c} has arrived whole: no deadline for it any more. */
    void headersArrived(Connection c) {
        Scheduler.Task t = pending.remove(c);
        if (t != null) {
            t.cancel();
        }
    }

    private void expire(Connection c) {
        if (pending.remove(c) != null) {
            c.getEndPoint().close(new TimeoutException("no complete request headers within " + deadlineMs + " ms"));
        }
    }
}
