package io.snkv.bench;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One pass of the eight phases of bench/WORKLOADS.md against one engine, in a directory the caller made fresh.
 * Each phase is timed exactly as the table there says (and as the C program does); opening and closing stores are
 * never timed. The counts the self-check needs are gathered on the way.
 */
final class WorkloadPass {

    private static final int RANDOM_READS = 50_000;
    private static final int RANDOM_UPDATES = 10_000;
    private static final int RANDOM_DELETES = 5_000;
    private static final int EXISTS_CHECKS = 50_000;
    private static final int MIXED_OPS = 20_000;
    private static final int TRANSACTION_SIZE = 1_000;

    private final Engine engine;
    private final int n;
    private final PhaseLinePrinter out;
    private final SelfCheck counts = new SelfCheck();
    // One generator for the pass, used by phases 2, 4, 5, 6 and 7 in that order and by nothing else.
    private final SplittableRandom random = new SplittableRandom(42);

    WorkloadPass(Engine engine, int n, PhaseLinePrinter out) {
        this.engine = engine;
        this.n = n;
        this.out = out;
    }

    /** Runs the eight phases in {@code dir} and returns the counts seen. */
    SelfCheck run(Path dir, boolean describeSettings) throws Exception {
        engine.open(dir, "bench.db");
        if (describeSettings) {
            engine.describeSettings();
        }
        sequentialWrites();
        randomReads();
        sequentialScan();
        randomUpdates();
        randomDeletes();
        existsChecks();
        mixed();
        countCommitted();
        closeStore("bench.db");

        engine.open(dir, "bulk.db");
        bulkInsert();
        counts.phase8Count = engine.count();
        closeStore("bulk.db");
        return counts;
    }

    /** Prints the phase's line, then lets the engine look at what the phase wrote (untimed). */
    private void phaseDone(String workload, long ops, long elapsedNanos) throws Exception {
        out.phase(workload, ops, elapsedNanos);
        engine.phaseEnded(workload);
    }

    /**
     * Closes the store, untimed as WORKLOADS.md says; how long it took goes to standard error, since a close may do
     * deferred work (the final checkpoint, and with capture at sync level NORMAL the LTX files' fsyncs).
     */
    private void closeStore(String fileName) throws Exception {
        long start = System.nanoTime();
        engine.close();
        out.closed(fileName, System.nanoTime() - start);
    }

    private void sequentialWrites() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i % TRANSACTION_SIZE == 0) {
                if (i > 0) {
                    engine.commit();
                }
                engine.begin();
            }
            engine.put(WorkloadData.key(i), WorkloadData.value(i));
        }
        engine.commit();
        phaseDone("sequential_writes", n, System.nanoTime() - start);
    }

    private void randomReads() throws Exception {
        long found = 0;
        long bytes = 0;
        long start = System.nanoTime();
        for (int op = 0; op < RANDOM_READS; op++) {
            byte[] value = engine.get(WorkloadData.key(random.nextInt(n)));
            if (value != null) {
                found++;
                bytes += value.length;
            }
        }
        phaseDone("random_reads", RANDOM_READS, System.nanoTime() - start);
        counts.phase2Found = found;
        counts.phase2Bytes = bytes;
    }

    private void sequentialScan() throws Exception {
        ScanTally tally = new ScanTally();
        long elapsed;
        try (OrderedScan scan = engine.openScan()) {
            long start = System.nanoTime();
            scan.walk(tally);
            elapsed = System.nanoTime() - start;
        }
        phaseDone("sequential_scan", tally.entries, elapsed);
        counts.phase3Entries = tally.entries;
        counts.phase3Bytes = tally.bytes;
    }

    private void randomUpdates() throws Exception {
        engine.begin();
        long start = System.nanoTime();
        for (int op = 0; op < RANDOM_UPDATES; op++) {
            int i = random.nextInt(n);
            engine.put(WorkloadData.key(i), WorkloadData.updatedValue(i));
        }
        engine.commit();
        phaseDone("random_updates", RANDOM_UPDATES, System.nanoTime() - start);
    }

    private void randomDeletes() throws Exception {
        engine.begin();
        long start = System.nanoTime();
        for (int op = 0; op < RANDOM_DELETES; op++) {
            engine.delete(WorkloadData.key(random.nextInt(n)));
        }
        engine.commit();
        phaseDone("random_deletes", RANDOM_DELETES, System.nanoTime() - start);
    }

    private void existsChecks() throws Exception {
        long exist = 0;
        long start = System.nanoTime();
        for (int op = 0; op < EXISTS_CHECKS; op++) {
            if (engine.exists(WorkloadData.key(random.nextInt(n)))) {
                exist++;
            }
        }
        phaseDone("exists_checks", EXISTS_CHECKS, System.nanoTime() - start);
        counts.phase6Exist = exist;
    }

    private void mixed() throws Exception {
        long gets = 0;
        long hits = 0;
        long puts = 0;
        long deletes = 0;
        engine.begin();
        long start = System.nanoTime();
        for (int op = 0; op < MIXED_OPS; op++) {
            int i = random.nextInt(n); // key first, then the operation: the order is part of the sequence
            int r = random.nextInt(100);
            byte[] key = WorkloadData.key(i);
            if (r < 70) {
                gets++;
                if (engine.get(key) != null) {
                    hits++;
                }
            } else if (r < 90) {
                puts++;
                engine.put(key, WorkloadData.mixedValue(i));
            } else {
                deletes++;
                engine.delete(key);
            }
        }
        engine.commit();
        phaseDone("mixed", MIXED_OPS, System.nanoTime() - start);
        counts.phase7Gets = gets;
        counts.phase7Hits = hits;
        counts.phase7Puts = puts;
        counts.phase7Deletes = deletes;
    }

    /** Untimed, between phases 7 and 8: what phase 7 left committed. */
    private void countCommitted() throws Exception {
        counts.phase7Count = engine.count();
        ScanTally tally = new ScanTally();
        try (OrderedScan scan = engine.openScan()) {
            scan.walk(tally);
        }
        counts.phase7Bytes = tally.bytes;
    }

    private void bulkInsert() throws Exception {
        engine.begin();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            engine.put(WorkloadData.bulkKey(i), WorkloadData.bulkValue(i));
        }
        engine.commit();
        phaseDone("bulk_insert", n, System.nanoTime() - start);
    }
}
