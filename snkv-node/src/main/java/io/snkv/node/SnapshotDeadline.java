package io.snkv.node;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The source of a SNAPSHOT frame that fails once sending it has taken longer than {@code http.snapshot-timeout}
 * (REPLICATION.md 2.4): the stream then closes, and the replica reconnects. Reads come between writes to the
 * socket, so a stalled write is left to the connection's idle timeout.
 */
final class SnapshotDeadline extends FilterInputStream {
    private final long deadline;
    private final Duration timeout;

    private SnapshotDeadline(InputStream in, Duration timeout) {
        super(in);
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /** {@code in} limited to {@code timeout}; as it is when the timeout is zero or negative (no limit). */
    static InputStream wrap(InputStream in, Duration timeout) {
        return timeout == null || timeout.isZero() || timeout.isNegative() ? in : new SnapshotDeadline(in, timeout);
    }

    private void check() throws IOException {
        if (System.nanoTime() - deadline > 0) {
            throw new IOException("sending the snapshot took longer than http.snapshot-timeout (" + timeout + ")");
        }
    }

    @Override
    public int read() throws IOException {
        check();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        return super.read(b, off, len);
    }
}
