package io.snkv.bench;

import io.snkv.KVStore;
import io.snkv.LtxPosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario {@code commits}: what replication costs the committing application. One thread commits
 * {@link SmallTransactions} ({@code --commit-warmup} unmeasured, then {@code --commits} timed) in four setups, each
 * in fresh directories: a plain store outside any node (capture off), then a store in the served directory of a
 * primary with 0, 1 and 2 replicas connected (every commit logged as an LTX file and announced to the node, which
 * streams it; on this machine the replicas also take CPU from it). All stores use the default settings (WAL, sync
 * NORMAL). After each node setup the replicas are checked, untimed.
 *
 * <p>Figure per setup: {@code scenario=commits setup=<capture_off|primary> replicas=N commits=.. seconds=..
 * ops_per_sec=.. ratio_vs_capture_off=..}.
 */
final class CommitRateScenario {

    static final String DATABASE = "commits.db";

    /** One setup's rate; {@code replicas} is -1 for capture off. */
    record Result(int replicas, double opsPerSecond, double ratio) {
    }

    private final ReplicationBenchOptions options;
    private final ReplicationReport report;

    CommitRateScenario(ReplicationBenchOptions options, ReplicationReport report) {
        this.options = options;
        this.report = report;
    }

    List<Result> run() throws Exception {
        List<Result> results = new ArrayList<>();
        Timed off;
        try (TemporaryDirectory plain = new TemporaryDirectory(options.dir(), "snkv-commits-")) {
            off = measure(plain.path().resolve(DATABASE));
        }
        results.add(print(-1, off, off));
        for (int replicas = 0; replicas <= 2; replicas++) {
            try (LocalCluster cluster = LocalCluster.start(options.dir(), replicas)) {
                Timed timed = measure(cluster.primaryFile(DATABASE));
                results.add(print(replicas, timed, off));
                for (int i = 0; i < replicas; i++) {
                    long caughtUp = cluster.applyTimes(i).awaitApplied(DATABASE, timed.lastTxid(),
                            ReplicaComparison.CATCH_UP_TIMEOUT);
                    report.note("commits replicas=%d: replica %d applied the last commit %.3f s after it returned",
                            replicas, i + 1, (caughtUp - timed.end()) / 1e9);
                }
                if (replicas > 0) {
                    report.check("commits_replicas_" + replicas, ReplicaComparison.compare(cluster, List.of(DATABASE)));
                }
            }
        }
        return results;
    }

    /** The timed commits: how long they took, when the last returned, and its TXID (0 with capture off). */
    private record Timed(long nanos, long end, long lastTxid) {
    }

    /** Commits into a new store at {@code file}: the warm-up, then the timed ones. */
    private Timed measure(Path file) {
        SmallTransactions writes = new SmallTransactions(options.valueBytes(), options.seed());
        try (KVStore kv = KVStore.open(file)) {
            for (int i = 0; i < options.commitWarmup(); i++) {
                writes.commitOne(kv);
            }
            System.gc();
            long start = System.nanoTime();
            for (int i = 0; i < options.commits(); i++) {
                writes.commitOne(kv);
            }
            long end = System.nanoTime();
            return new Timed(end - start, end, kv.capturePosition().map(LtxPosition::txid).orElse(0L));
        }
    }

    private Result print(int replicas, Timed timed, Timed off) {
        double rate = options.commits() / (timed.nanos() / 1e9);
        Result r = new Result(replicas, rate, (double) off.nanos() / timed.nanos());
        report.figure(FigureLine.of("scenario", "commits").add("setup", replicas < 0 ? "capture_off" : "primary")
                .add("replicas", Math.max(replicas, 0)).add("commits", options.commits())
                .add("seconds", timed.nanos() / 1e9, 3).add("ops_per_sec", (long) rate)
                .add("ratio_vs_capture_off", r.ratio(), 3));
        return r;
    }
}
