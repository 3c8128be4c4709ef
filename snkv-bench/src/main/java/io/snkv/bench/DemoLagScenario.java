package io.snkv.bench;

import io.snkv.JournalMode;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Scenario {@code demo}: the seed demo's writer against a primary with one replica, in this JVM. Each round writes a
 * new database ({@code snkv-<round>.db}, so the replica starts it from nothing as the demo's does): keys
 * {@code chunk_0}.. holding the pattern {@code 'A' + (offset % 26)}, one auto-committed put per chunk from one reused
 * buffer, the store opened as the demo opens it (WAL, the other settings default) and closed right after its last
 * commit (its checkpoint runs while the replica catches up, as in the demo). The lag runs from the last put
 * returning to the replica having applied that TXID ({@link ApplyTimes}). One warm-up round first, discarded.
 *
 * <p>Figure: {@code scenario=demo rounds=R chunks=N chunk_bytes=B bytes=T lag_ms_median=.. lag_ms_min=..
 * lag_ms_max=..}; each round's lag and write time go to standard error.
 */
final class DemoLagScenario {

    /** The demo's figure for the summary. */
    record Result(LatencyRecorder.Summary lag) {
    }

    private final ReplicationBenchOptions options;
    private final ReplicationReport report;

    DemoLagScenario(ReplicationBenchOptions options, ReplicationReport report) {
        this.options = options;
        this.report = report;
    }

    Result run() throws Exception {
        byte[] chunk = pattern(options.chunkSize());
        LatencyRecorder lags = new LatencyRecorder(options.rounds());
        List<String> databases = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(options.dir(), 1)) {
            for (int round = 0; round <= options.rounds(); round++) {
                String database = round == 0 ? "snkv-warmup.db" : "snkv-" + round + ".db";
                databases.add(database);
                System.gc(); // the previous round's garbage is not collected on this one's time
                long lag = round(cluster, database, chunk, round);
                if (round > 0) {
                    lags.record(lag);
                }
            }
            LatencyRecorder.Summary s = lags.summary();
            report.figure(FigureLine.of("scenario", "demo").add("rounds", options.rounds())
                    .add("chunks", options.chunks()).add("chunk_bytes", options.chunkSize())
                    .add("bytes", (long) options.chunks() * options.chunkSize()).millis("lag_ms_median", s.median())
                    .millis("lag_ms_min", s.min()).millis("lag_ms_max", s.max()));
            report.check("demo", ReplicaComparison.compare(cluster, databases));
            return new Result(s);
        }
    }

    /** One writer run; returns the lag in nanoseconds. */
    private long round(LocalCluster cluster, String database, byte[] chunk, int round)
            throws InterruptedException, TimeoutException {
        KVStoreConfig config = KVStoreConfig.builder().journalMode(JournalMode.WAL).build();
        long started;
        long committed;
        long txid;
        try (KVStore kv = KVStore.open(cluster.primaryFile(database), config)) {
            started = System.nanoTime();
            for (int i = 0; i < options.chunks(); i++) {
                kv.put(key(i), chunk);
            }
            committed = System.nanoTime();
            txid = kv.capturePosition().orElseThrow().txid();
        }
        long applied = cluster.applyTimes(0).awaitApplied(database, txid, ReplicaComparison.CATCH_UP_TIMEOUT);
        long lag = applied - committed;
        report.note("demo round=%s database=%s txid=%d write_ms=%.3f lag_ms=%.3f", round == 0 ? "warmup" : round,
                database, txid, (committed - started) / 1e6, lag / 1e6);
        return lag;
    }

    static byte[] key(int i) {
        return ("chunk_" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** The seed writer's buffer: byte j is {@code 'A' + (j % 26)}. */
    static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int j = 0; j < size; j++) {
            data[j] = (byte) ('A' + (j % 26));
        }
        return data;
    }
}
