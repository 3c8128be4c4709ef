package io.snkv.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Several processes on one database file: {@code java -cp <snkv-bench jar> io.snkv.bench.MultiProcessBench
 * [--seconds 5]}. For each scenario ({@link MultiProcessScenario}) the parent fills a fresh database, starts one
 * writer and/or reader child JVMs ({@link MultiProcessChild}), waits until all have opened the store, releases them
 * together, lets them warm up, measures for a fixed time, stops them, collects what each counted and checks the
 * database (count and integrity check). Figures go to standard output, one a line:
 * <pre>
 *   mp writer_commits_per_sec readers=R mode=M value=V        commits/s of the writer process
 *   mp reader_txns_per_sec writer=W readers=R mode=M value=V  read transactions/s of one reader (mean over readers)
 *   mp reader_txns_per_sec_total writer=W readers=R mode=M value=V   their sum, when R > 1
 * </pre>
 * Everything else goes to standard error. Any check that fails prints {@code SELF-CHECK FAILED} and makes the exit
 * code 1. All processes share the machine's cores, so on a small machine readers slow the writer by taking CPU as
 * well as by locking.
 */
public final class MultiProcessBench {

    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long RESULT_TIMEOUT_MS = MultiProcessDatabase.BUSY_TIMEOUT.toMillis() + 30_000;

    private final MultiProcessOptions options;
    private final List<String> failures = new ArrayList<>();

    private MultiProcessBench(MultiProcessOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        MultiProcessOptions options;
        try {
            options = MultiProcessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(MultiProcessOptions.USAGE);
            System.exit(2);
            return;
        }
        int exitCode = options.role() != null
                ? new MultiProcessChild(options).run()
                : new MultiProcessBench(options).run();
        System.out.flush();
        System.exit(exitCode);
    }

    private int run() throws Exception {
        long start = System.nanoTime();
        RuntimeDescription.printJvm("mp");
        Files.createDirectories(options.dir());
        RuntimeDescription.printFileSystem("mp", options.dir());
        System.err.printf("mp seconds=%d warmup=%d keys=%d value_bytes=%d gets_per_read=%d busy_timeout=%s "
                        + "wal_size_limit=%d%n", options.seconds(), options.warmupSeconds(), MultiProcessDatabase.KEYS,
                MultiProcessDatabase.VALUE_SIZE, MultiProcessDatabase.GETS_PER_READ, MultiProcessDatabase.BUSY_TIMEOUT,
                options.walSizeLimit());
        for (MultiProcessScenario scenario : options.scenarios()) {
            try (TemporaryDirectory tmp = new TemporaryDirectory(options.dir(), "snkv-mp-")) {
                runScenario(scenario, tmp.path().resolve(MultiProcessDatabase.FILE_NAME));
            } catch (Exception e) {
                failures.add(scenario.name() + ": " + e);
                e.printStackTrace();
            }
        }
        System.err.printf(Locale.ROOT, "mp total_seconds=%.1f%n", (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) {
            for (String failure : failures) {
                System.err.println("SELF-CHECK FAILED: " + failure);
            }
            System.out.println("SELF-CHECK FAILED (" + failures.size() + " problems, see standard error)");
            return 1;
        }
        System.err.println("mp self-check passed: every child exited cleanly, every get found its value, "
                + "and after each scenario count=" + MultiProcessDatabase.KEYS + " and integrityCheck() was empty");
        return 0;
    }

    private void runScenario(MultiProcessScenario scenario, Path db) throws Exception {
        System.err.println("== scenario " + scenario.name() + " (" + db + ")");
        MultiProcessDatabase.populate(db, scenario.mode(), options.walSizeLimit());
        List<ChildJvm> children = new ArrayList<>();
        Map<ChildJvm, Map<String, String>> results = new HashMap<>();
        try {
            if (scenario.writer()) {
                children.add(child(scenario, db, MultiProcessChild.WRITER, "writer", 1000));
            }
            for (int i = 0; i < scenario.readers(); i++) {
                children.add(child(scenario, db, MultiProcessChild.READER, "reader" + (i + 1), 2000 + i));
            }
            for (ChildJvm c : children) {
                c.await("ready", READY_TIMEOUT_MS);
            }
            broadcast(children, "go");
            Thread.sleep(options.warmupSeconds() * 1000L);
            broadcast(children, "measure");
            Thread.sleep(options.seconds() * 1000L);
            broadcast(children, "stop");
            for (ChildJvm c : children) {
                results.put(c, fields(c.await("result", RESULT_TIMEOUT_MS)));
            }
            for (ChildJvm c : children) {
                int code = c.waitFor(RESULT_TIMEOUT_MS);
                if (code != 0) {
                    failures.add(scenario.name() + ": " + c.name() + " exited with code " + code);
                }
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
        long walBytes = Files.exists(Path.of(db + "-wal")) ? Files.size(Path.of(db + "-wal")) : 0;
        System.err.println("mp " + scenario.name() + ": database " + Files.size(db) + " bytes, wal " + walBytes
                + " bytes before the final check");
        report(scenario, children, results);
        List<String> problems = MultiProcessDatabase.verify(db, scenario.mode(), options.walSizeLimit());
        for (String problem : problems) {
            failures.add(scenario.name() + ": " + problem);
        }
        System.err.println("mp " + scenario.name() + ": check "
                + (problems.isEmpty() ? "passed" : "FAILED " + problems));
    }

    private ChildJvm child(MultiProcessScenario scenario, Path db, String role, String name, long seed)
            throws Exception {
        return new ChildJvm(scenario.name() + "/" + name, MultiProcessBench.class, List.of(
                "--role", role, "--db", db.toString(), "--mode", scenario.mode().name(), "--seed", Long.toString(seed),
                "--wal-size-limit", Integer.toString(options.walSizeLimit())));
    }

    private static void broadcast(List<ChildJvm> children, String line) throws Exception {
        for (ChildJvm c : children) {
            c.send(line);
        }
    }

    private void report(MultiProcessScenario scenario, List<ChildJvm> children,
                        Map<ChildJvm, Map<String, String>> results) {
        String mode = scenario.mode().name();
        double readerRateSum = 0;
        int readers = 0;
        for (ChildJvm c : children) {
            Map<String, String> r = results.get(c);
            long ops = Long.parseLong(r.get("ops"));
            long nanos = Long.parseLong(r.get("nanos"));
            long cpu = Long.parseLong(r.get("cpu_nanos"));
            long busy = Long.parseLong(r.get("busy"));
            long misses = Long.parseLong(r.get("misses"));
            double rate = nanos > 0 ? ops / (nanos / 1e9) : 0;
            System.err.printf(Locale.ROOT,
                    "mp %s: ops=%d seconds=%.3f rate=%.0f/s cpu=%.0f%% of one core busy_errors=%d misses=%d "
                            + "latency_us p50=%s p99=%s max=%s%n",
                    c.name(), ops, nanos / 1e9, rate, nanos > 0 && cpu >= 0 ? 100.0 * cpu / nanos : -1.0, busy,
                    misses, r.get("p50_us"), r.get("p99_us"), r.get("max_us"));
            if (ops == 0) {
                failures.add(scenario.name() + ": " + c.name() + " completed no operation in the measured time");
            }
            if (misses != 0) {
                failures.add(scenario.name() + ": " + c.name() + " missed " + misses + " keys that must exist");
            }
            if (r.get("role").equals(MultiProcessChild.WRITER)) {
                System.out.printf(Locale.ROOT, "mp writer_commits_per_sec readers=%d mode=%s value=%d%n",
                        scenario.readers(), mode, (long) rate);
            } else {
                readerRateSum += rate;
                readers++;
            }
        }
        if (readers > 0) {
            int writers = scenario.writer() ? 1 : 0;
            System.out.printf(Locale.ROOT, "mp reader_txns_per_sec writer=%d readers=%d mode=%s value=%d%n",
                    writers, readers, mode, (long) (readerRateSum / readers));
            if (readers > 1) {
                System.out.printf(Locale.ROOT, "mp reader_txns_per_sec_total writer=%d readers=%d mode=%s value=%d%n",
                        writers, readers, mode, (long) readerRateSum);
            }
        }
        System.out.flush();
    }

    /** {@code result k=v k=v ...} as a map. */
    private static Map<String, String> fields(String line) {
        Map<String, String> map = new HashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }
}
