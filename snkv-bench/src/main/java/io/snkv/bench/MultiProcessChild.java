package io.snkv.bench;

import io.snkv.BusyException;
import io.snkv.KVStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * One child process of a {@link MultiProcessBench} scenario: a writer (autocommit puts of one random key) or a
 * reader (read transactions of {@link MultiProcessDatabase#GETS_PER_READ} random gets), looping on its own
 * connection to the shared database file.
 *
 * <p>Control, one line each way. The child opens the store, does one read, prints {@code ready} and waits. On
 * {@code go} (the start barrier: the parent sends it to all children once all are ready) it starts looping; on
 * {@code measure} it starts counting; on {@code stop} (or end of input) it finishes the operation in progress,
 * prints one {@code result} line with what it counted in between, closes the store and exits. Standard output
 * carries only these lines; everything else goes to standard error.
 *
 * <p>Single-threaded apart from the thread that reads standard input and only moves {@link #phase} forward.
 */
final class MultiProcessChild {

    static final String WRITER = "writer";
    static final String READER = "reader";

    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int MEASURING = 2;
    private static final int STOPPED = 3;

    private final MultiProcessOptions options;
    private final CountDownLatch go = new CountDownLatch(1);
    private volatile int phase = WAITING;

    MultiProcessChild(MultiProcessOptions options) {
        this.options = options;
    }

    int run() throws InterruptedException {
        boolean writer = options.role().equals(WRITER);
        byte[][] keys = MultiProcessDatabase.keys();
        SplittableRandom random = new SplittableRandom(options.seed());
        byte[] value = MultiProcessDatabase.randomValue(random);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Latencies latencies = new Latencies();
        long ops = 0;
        long busy = 0;
        long misses = 0;
        long startNanos = 0;
        long endNanos = 0;
        long startCpu = -1;
        long endCpu = -1;
        try (KVStore store = KVStore.open(options.db(),
                MultiProcessDatabase.config(options.mode(), options.walSizeLimit()))) {
            if (readTransaction(store, keys, random) != 0) {
                System.err.println("mp " + options.role() + ": first read missed keys");
            }
            startControlThread();
            System.out.println("ready");
            System.out.flush();
            go.await();
            boolean measuring = false;
            long serial = 0;
            while (true) {
                int now = phase;
                if (now == STOPPED) {
                    break;
                }
                if (now == MEASURING && !measuring) {
                    measuring = true;
                    startCpu = cpuNanos(os);
                    startNanos = System.nanoTime();
                }
                long t0 = System.nanoTime();
                try {
                    if (writer) {
                        // Each put changes the value, so every commit writes a changed page.
                        serial++;
                        for (int i = 0; i < 8; i++) {
                            value[i] = (byte) (serial >>> (8 * i));
                        }
                        store.put(keys[random.nextInt(keys.length)], value);
                    } else {
                        long missed = readTransaction(store, keys, random);
                        if (measuring) {
                            misses += missed;
                        }
                    }
                } catch (BusyException e) {
                    if (measuring) {
                        busy++;
                    }
                    System.err.println("mp " + options.role() + ": " + e.getMessage());
                    continue;
                }
                if (measuring) {
                    ops++;
                    latencies.add(System.nanoTime() - t0);
                }
            }
            endNanos = System.nanoTime();
            endCpu = cpuNanos(os);
            if (!measuring) {
                startNanos = endNanos; // stopped before measuring began: nothing counted
            }
        }
        long cpu = startCpu >= 0 && endCpu >= 0 ? endCpu - startCpu : -1;
        System.out.printf(Locale.ROOT,
                "result role=%s ops=%d nanos=%d busy=%d misses=%d cpu_nanos=%d p50_us=%.1f p99_us=%.1f max_us=%.1f%n",
                options.role(), ops, endNanos - startNanos, busy, misses, cpu,
                latencies.percentileMicros(0.50), latencies.percentileMicros(0.99), latencies.percentileMicros(1.0));
        System.out.flush();
        return 0;
    }

    /** One read transaction; returns how many of its gets found no value of the expected size. */
    private static long readTransaction(KVStore store, byte[][] keys, SplittableRandom random) {
        long missed = 0;
        store.begin(false);
        try {
            for (int i = 0; i < MultiProcessDatabase.GETS_PER_READ; i++) {
                Optional<byte[]> got = store.get(keys[random.nextInt(keys.length)]);
                if (got.isEmpty() || got.get().length != MultiProcessDatabase.VALUE_SIZE) {
                    missed++;
                }
            }
            store.commit();
        } finally {
            if (store.inTransaction()) {
                store.rollback();
            }
        }
        return missed;
    }

    private void startControlThread() {
        Thread control = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    switch (line.trim()) {
                        case "go" -> {
                            phase = Math.max(phase, RUNNING);
                            go.countDown();
                        }
                        case "measure" -> phase = Math.max(phase, MEASURING);
                        case "stop" -> {
                            phase = STOPPED;
                            go.countDown();
                            return;
                        }
                        default -> System.err.println("mp " + options.role() + ": unknown control line " + line);
                    }
                }
            } catch (IOException e) {
                System.err.println("mp " + options.role() + ": control input failed: " + e);
            }
            // The parent is gone or closed our input: stop rather than loop forever.
            phase = STOPPED;
            go.countDown();
        }, "mp-control");
        control.setDaemon(true);
        control.start();
    }

    private static long cpuNanos(OperatingSystemMXBean os) {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Every measured operation's duration, kept whole (a few hundred thousand longs at most). */
    private static final class Latencies {
        private long[] nanos = new long[1 << 16];
        private int size;

        void add(long n) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = n;
        }

        double percentileMicros(double p) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(p * size) - 1));
            return sorted[index] / 1000.0;
        }
    }
}
