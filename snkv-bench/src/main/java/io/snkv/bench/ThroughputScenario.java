package io.snkv.bench;

import io.snkv.KVStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenario {@code throughput}: a primary with one replica; one thread commits {@code --txns} transactions into
 * {@code throughput.db} as fast as it can, each one auto-committed put of a {@code --txn-bytes} value under a new
 * key ({@code blob_<n>}). The value is random bytes, so LZ4 gains nothing on its pages (the same buffer every time,
 * its first 8 bytes replaced by the transaction's number: LTX compresses page by page, so repeating it across
 * transactions does not help either). Rate: value bytes over the time from the first put starting to the replica
 * applying the last TXID. Beside it, in the same run, {@link LoopbackCopy} of the same byte count with a 1 MiB buffer:
 * one unmeasured copy, then {@code --copies} measured, median reported.
 *
 * <p>Figures: {@code scenario=loopback_copy bytes=.. buffer_bytes=.. copies=.. seconds=.. mb_per_sec=..} and
 * {@code scenario=throughput txns=.. txn_bytes=.. bytes=.. seconds=.. mb_per_sec=.. primary_mb_per_sec=..
 * loopback_mb_per_sec=.. ratio_to_loopback=..}; {@code primary_mb_per_sec} counts to the last commit returning on
 * the primary, so it shows whether the primary or the replication was the bottleneck.
 */
final class ThroughputScenario {

    static final String DATABASE = "throughput.db";
    static final int COPY_BUFFER = 1 << 20;

    /** The figures the summary repeats. */
    record Result(double mbPerSecond, double loopbackMbPerSecond) {
        double ratio() {
            return mbPerSecond / loopbackMbPerSecond;
        }
    }

    private final ReplicationBenchOptions options;
    private final ReplicationReport report;

    ThroughputScenario(ReplicationBenchOptions options, ReplicationReport report) {
        this.options = options;
        this.report = report;
    }

    Result run() throws Exception {
        long bytes = (long) options.txns() * options.txnBytes();
        double loopback = loopbackRate(bytes);
        byte[] value = new byte[options.txnBytes()];
        new SplittableRandom(options.seed()).nextBytes(value);
        Result result;
        try (LocalCluster cluster = LocalCluster.start(options.dir(), 1)) {
            ApplyTimes applied = cluster.applyTimes(0);
            try (KVStore kv = KVStore.open(cluster.primaryFile(DATABASE))) {
                int n = 0;
                for (int i = 0; i < options.throughputWarmup(); i++) {
                    put(kv, n++, value);
                }
                applied.awaitApplied(DATABASE, kv.capturePosition().orElseThrow().txid(),
                        ReplicaComparison.CATCH_UP_TIMEOUT);
                System.gc();
                long start = System.nanoTime();
                for (int i = 0; i < options.txns(); i++) {
                    put(kv, n++, value);
                }
                long committed = System.nanoTime();
                long txid = kv.capturePosition().orElseThrow().txid();
                long end = applied.awaitApplied(DATABASE, txid, ReplicaComparison.CATCH_UP_TIMEOUT);
                double seconds = (end - start) / 1e9;
                result = new Result(bytes / seconds / 1e6, loopback);
                report.figure(FigureLine.of("scenario", "throughput").add("txns", options.txns())
                        .add("txn_bytes", options.txnBytes()).add("bytes", bytes).add("seconds", seconds, 3)
                        .add("mb_per_sec", result.mbPerSecond(), 1)
                        .add("primary_mb_per_sec", bytes / ((committed - start) / 1e9) / 1e6, 1)
                        .add("loopback_mb_per_sec", loopback, 1).add("ratio_to_loopback", result.ratio(), 3));
            }
            report.check("throughput", ReplicaComparison.compare(cluster, List.of(DATABASE)));
        }
        return result;
    }

    private static void put(KVStore kv, int n, byte[] value) {
        ByteBuffer.wrap(value).putLong(0, n);
        kv.put(("blob_" + n).getBytes(StandardCharsets.US_ASCII), value);
    }

    /** MB/s of the median measured copy (nearest rank: the lower middle one of an even count). */
    private double loopbackRate(long bytes) throws Exception {
        LoopbackCopy.copy(bytes, COPY_BUFFER);
        LatencyRecorder copies = new LatencyRecorder(options.copies());
        for (int i = 0; i < options.copies(); i++) {
            long nanos = LoopbackCopy.copy(bytes, COPY_BUFFER);
            copies.record(nanos);
            report.note("loopback copy %d: %d bytes in %.3f ms", i + 1, bytes, nanos / 1e6);
        }
        long median = copies.summary().median();
        double rate = bytes / (median / 1e9) / 1e6;
        report.figure(FigureLine.of("scenario", "loopback_copy").add("bytes", bytes).add("buffer_bytes", COPY_BUFFER)
                .add("copies", copies.count()).add("seconds", median / 1e9, 3).add("mb_per_sec", rate, 1));
        return rate;
    }
}
