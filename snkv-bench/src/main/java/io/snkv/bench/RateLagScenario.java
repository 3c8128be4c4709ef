package io.snkv.bench;

import io.snkv.KVStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario {@code lag}: a primary with one replica; one thread commits {@link SmallTransactions} into
 * {@code lag.db} at each {@link CommitRate} in turn (paced by {@link DeadlinePacer}, or unpaced for {@code max}),
 * noting each commit's TXID and the time its put returned. Once the replica has applied the last one, each
 * commit's lag is the time the replica applied its TXID ({@link ApplyTimes}) minus that return time. The replica
 * catches up between rates, so one rate's backlog is not charged to the next; {@code --lag-warmup} unmeasured
 * commits come first.
 *
 * <p>Figure per rate: {@code scenario=lag rate=<n|max> commits=.. seconds=.. commits_per_sec=.. late=..
 * replica_applies_per_sec=.. p50_ms=.. p99_ms=.. max_ms=..}; {@code commits_per_sec} is the rate achieved,
 * {@code late} how many commits started after their deadline, {@code replica_applies_per_sec} the commits the replica
 * applied per second from the first commit's apply to the last's (the pace when it keeps up, its capacity when
 * not).
 */
final class RateLagScenario {

    static final String DATABASE = "lag.db";

    /** One rate's lags, for the summary. */
    record Result(CommitRate rate, LatencyRecorder.Summary lag) {
    }

    private final ReplicationBenchOptions options;
    private final ReplicationReport report;

    RateLagScenario(ReplicationBenchOptions options, ReplicationReport report) {
        this.options = options;
        this.report = report;
    }

    List<Result> run() throws Exception {
        List<Result> results = new ArrayList<>();
        SmallTransactions writes = new SmallTransactions(options.valueBytes(), options.seed());
        try (LocalCluster cluster = LocalCluster.start(options.dir(), 1)) {
            try (KVStore kv = KVStore.open(cluster.primaryFile(DATABASE))) {
                for (int i = 0; i < options.lagWarmup(); i++) {
                    writes.commitOne(kv);
                }
                awaitReplica(cluster, kv);
                for (CommitRate rate : options.rates()) {
                    System.gc(); // the previous rate's garbage is not collected on this one's time
                    results.add(runAt(rate, cluster, kv, writes));
                }
            }
            report.check("lag", ReplicaComparison.compare(cluster, List.of(DATABASE)));
        }
        return results;
    }

    private Result runAt(CommitRate rate, LocalCluster cluster, KVStore kv, SmallTransactions writes)
            throws Exception {
        int count = options.commitsAt(rate);
        long[] returned = new long[count];
        long[] txids = new long[count];
        long start = System.nanoTime();
        DeadlinePacer pacer = rate.isMax() ? null : new DeadlinePacer(rate.perSecond(), start);
        for (int i = 0; i < count; i++) {
            if (pacer != null) {
                pacer.awaitTurn(i);
            }
            writes.commitOne(kv);
            returned[i] = System.nanoTime();
            txids[i] = kv.capturePosition().orElseThrow().txid();
        }
        long end = System.nanoTime();
        ApplyTimes applied = cluster.applyTimes(0);
        long lastApplied = applied.awaitApplied(DATABASE, txids[count - 1], ReplicaComparison.CATCH_UP_TIMEOUT);
        long firstApplied = applied.awaitApplied(DATABASE, txids[0], ReplicaComparison.CATCH_UP_TIMEOUT);
        LatencyRecorder lags = new LatencyRecorder(count);
        for (int i = 0; i < count; i++) {
            lags.record(applied.awaitApplied(DATABASE, txids[i], ReplicaComparison.CATCH_UP_TIMEOUT) - returned[i]);
        }
        LatencyRecorder.Summary s = lags.summary();
        double seconds = (end - start) / 1e9;
        report.figure(FigureLine.of("scenario", "lag").add("rate", rate.label()).add("commits", count)
                .add("seconds", seconds, 3).add("commits_per_sec", (long) (count / seconds))
                .add("late", pacer == null ? 0 : pacer.lateTurns())
                .add("replica_applies_per_sec", count < 2 || lastApplied == firstApplied ? 0
                        : (long) ((count - 1) / ((lastApplied - firstApplied) / 1e9)))
                .millis("p50_ms", s.median()).millis("p99_ms", s.percentile(99)).millis("max_ms", s.max()));
        return new Result(rate, s);
    }

    /** Waits (untimed) until the replica has applied everything committed so far. */
    private static void awaitReplica(LocalCluster cluster, KVStore kv) throws Exception {
        long txid = kv.capturePosition().orElseThrow().txid();
        cluster.applyTimes(0).awaitApplied(DATABASE, txid, ReplicaComparison.CATCH_UP_TIMEOUT);
    }
}
