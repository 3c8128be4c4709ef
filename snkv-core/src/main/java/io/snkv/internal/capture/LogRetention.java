package io.snkv.internal.capture;

import io.snkv.ltx.LtxFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a change log's files once they are older than the retention (by modification time), always
 * keeping the highest file, which holds the current position. Temporary files older than the retention
 * (left by writers that died) go too. Runs on one daemon thread shared by every store in the JVM; each
 * sweep only deletes, so sweeps from several processes on one log do not conflict. Open handles on a
 * deleted file stay valid. Thread-safe.
 */
public final class LogRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "snkv-ltx-retention");
        t.setDaemon(true);
        return t;
    });

    private final LogDirectory dir;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledFuture<?> task;

    private LogRetention(LogDirectory dir, Duration retention, Duration interval, Clock clock, boolean schedule) {
        this.dir = dir;
        this.retention = retention;
        this.clock = clock;
        long ms = Math.max(1, interval.toMillis());
        this.task = schedule ? SWEEPER.scheduleWithFixedDelay(this::sweepQuietly, ms, ms, TimeUnit.MILLISECONDS) : null;
    }

    /** Starts sweeping {@code log} every {@code interval}; a retention of zero or less keeps everything. */
    public static LogRetention start(ChangeLog log, Duration retention, Duration interval, Clock clock) {
        boolean on = !retention.isNegative() && !retention.isZero() && !interval.isNegative() && !interval.isZero();
        return new LogRetention(log.directory(), retention, interval, clock, on);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            LOG.warn("retention sweep of {} failed: {}", dir.ltxDir(), e.toString());
        }
    }

    /** One sweep now. @return how many files it deleted */
    public int sweep() throws IOException {
        if (retention.isNegative() || retention.isZero()) {
            return 0;
        }
        long cutoff = clock.millis() - retention.toMillis();
        int deleted = 0;
        TreeMap<Long, LtxFileName.TxidRange> files = dir.files();
        if (!files.isEmpty()) {
            files.remove(files.lastKey());
        }
        for (Map.Entry<Long, LtxFileName.TxidRange> e : files.entrySet()) {
            Path p = dir.file(e.getValue().minTxid(), e.getValue().maxTxid());
            if (olderThan(p, cutoff)) {
                dir.delete(p);
                deleted++;
            }
        }
        for (Path tmp : dir.tempFiles()) {
            if (olderThan(tmp, cutoff)) {
                dir.delete(tmp);
            }
        }
        return deleted;
    }

    private static boolean olderThan(Path p, long cutoffMillis) throws IOException {
        try {
            return Files.getLastModifiedTime(p).toMillis() < cutoffMillis;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
