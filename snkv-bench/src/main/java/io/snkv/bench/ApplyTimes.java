package io.snkv.bench;

import io.snkv.LtxPosition;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * When one replica applied what, per database: registered with {@link io.snkv.node.Node#onApplied}, it reads
 * {@link System#nanoTime()} on the replica's stream thread the moment a file is applied and durable, and keeps
 * (TXID, time) pairs in apply order. The bench thread waits on it (woken by the apply, no polling) and looks up
 * when a TXID was applied: a file covering several TXIDs (a snapshot) counts as applying each of them. Resolution:
 * that of {@code System.nanoTime()}. Thread-safe.
 */
final class ApplyTimes implements BiConsumer<String, LtxPosition> {

    private final Map<String, Timeline> databases = new ConcurrentHashMap<>();

    @Override
    public void accept(String database, LtxPosition position) {
        long now = System.nanoTime();
        timeline(database).add(position.txid(), now);
    }

    /**
     * When the replica applied {@code txid} of {@code database} (or a later one, by a file covering it), waiting
     * up to {@code timeout} for it.
     */
    long awaitApplied(String database, long txid, Duration timeout) throws InterruptedException, TimeoutException {
        return timeline(database).await(txid, timeout.toNanos(), database);
    }

    /** The newest TXID of {@code database} the replica has applied (0: none yet). */
    long lastApplied(String database) {
        return timeline(database).last();
    }

    private Timeline timeline(String database) {
        return databases.computeIfAbsent(database, d -> new Timeline());
    }

    /** One database's applies, TXIDs ascending (a replica applies files in order). */
    private static final class Timeline {
        private long[] txids = new long[1024];
        private long[] nanos = new long[1024];
        private int size;

        synchronized void add(long txid, long at) {
            if (size > 0 && Long.compareUnsigned(txid, txids[size - 1]) <= 0) {
                return; // a resnapshot to an older or equal position: the first apply of each TXID stands
            }
            if (size == txids.length) {
                txids = Arrays.copyOf(txids, size * 2);
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            txids[size] = txid;
            nanos[size] = at;
            size++;
            notifyAll();
        }

        synchronized long last() {
            return size == 0 ? 0 : txids[size - 1];
        }

        synchronized long await(long txid, long timeoutNanos, String database)
                throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeoutNanos;
            int i;
            while ((i = firstAtOrAfter(txid)) == size) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the replica did not apply TXID " + txid + " of " + database + " within "
                            + timeoutNanos / 1_000_000_000 + " s (last applied: " + last() + ")");
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return nanos[i];
        }

        /** Index of the first entry whose TXID is {@code txid} or above; {@code size} when there is none yet. */
        private int firstAtOrAfter(long txid) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(txids[mid], txid) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
