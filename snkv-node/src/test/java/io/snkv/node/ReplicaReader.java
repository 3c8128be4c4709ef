package io.snkv.node;

import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Test support: an application reading a replica's database over and over, each read one snapshot of every key,
 * judged against a {@link SequencedWorkload}: the {@code seq} it sees names the contents it must see. Reads that
 * began once {@code inStep} said so (the replica is back in step after a fault) must be right; wrong ones from
 * before are only counted.
 */
final class ReplicaReader implements AutoCloseable {
    private final Path db;
    private final SequencedWorkload workload;
    private final BooleanSupplier inStep;
    private final Thread thread;
    private volatile boolean stop;
    final AtomicLong readsInStep = new AtomicLong();
    final AtomicLong wrongBefore = new AtomicLong();
    /** Wrong reads that began after the replica was in step again: must stay empty. */
    final List<String> wrongInStep = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    ReplicaReader(Path db, SequencedWorkload workload, BooleanSupplier inStep) {
        this.db = db;
        this.workload = workload;
        this.inStep = inStep;
        this.thread = new Thread(this::run, "replica-reader");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        // A reader waits out a writer that holds the WAL index (as an application sets a busy timeout to).
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).busyTimeout(Duration.ofSeconds(10)).build())) {
            while (!stop) {
                boolean after = inStep.getAsBoolean();
                TreeMap<String, String> got = new TreeMap<>();
                try (KVIterator it = s.iterator()) {
                    for (boolean ok = it.first(); ok; ok = it.next()) {
                        got.put(new String(it.key(), StandardCharsets.UTF_8), new String(it.value(), StandardCharsets.UTF_8));
                    }
                }
                String seq = got.get(SequencedWorkload.SEQ);
                TreeMap<String, String> want = seq == null ? workload.contents(0) : workload.contents(Long.parseLong(seq));
                boolean right = want != null && want.equals(got);
                if (after) {
                    readsInStep.incrementAndGet();
                    if (!right && wrongInStep.size() < 10) {
                        wrongInStep.add("seq " + seq + ": " + (want == null ? "never committed" : differences(want, got)));
                    }
                } else if (!right) {
                    wrongBefore.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            errors.add(e.toString());
        }
    }

    private static List<String> differences(TreeMap<String, String> want, TreeMap<String, String> got) {
        TreeMap<String, byte[]> a = new TreeMap<>();
        TreeMap<String, byte[]> b = new TreeMap<>();
        want.forEach((k, v) -> a.put(k, v.getBytes(StandardCharsets.UTF_8)));
        got.forEach((k, v) -> b.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return RecordedHistory.differences(a, b);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
