package io.snkv.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replication on loopback, in one JVM: {@code java -cp 'snkv-bench/target/snkv-bench.jar:snkv-bench/target/lib/*'
 * io.snkv.bench.ReplicationBench}. Runs, in order, {@link DemoLagScenario} (the seed demo's 10 MiB: lag from the
 * writer's last commit to the replica's apply), {@link RateLagScenario} (lag of every small commit at 100/s, 1,000/s
 * and unpaced), {@link ThroughputScenario} (MB/s of 1 MiB transactions beside a plain loopback socket copy) and
 * {@link CommitRateScenario} (the primary's commits per second with capture off, then with 0, 1 and 2 replicas).
 * Nodes run in this process ({@link LocalCluster}); each apply is timestamped on the replica's stream thread
 * ({@link ApplyTimes}), so commit and apply times come from one clock. Figures go to standard output as
 * {@link FigureLine}s, then {@code summary=} lines against the targets; settings and details go to standard error.
 * Every scenario ends by checking that the replicas hold exactly the primary's data; a failed check prints
 * {@code SELF-CHECK FAILED} on standard error and makes the exit code 1. Nothing is asserted about speed.
 */
public final class ReplicationBench {

    static final double DEMO_TARGET_MS = 100;
    static final double LAG_P99_TARGET_MS = 10;
    static final CommitRate LAG_TARGET_RATE = new CommitRate(1000);

    private final ReplicationBenchOptions options;
    private final ReplicationReport report;

    ReplicationBench(ReplicationBenchOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.report = new ReplicationReport(out, err);
    }

    public static void main(String[] args) {
        ReplicationBenchOptions options;
        try {
            options = ReplicationBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(ReplicationBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        int exitCode = new ReplicationBench(options, System.out, System.err).run();
        System.out.flush();
        System.exit(exitCode);
    }

    /** Runs the chosen scenarios; returns the exit code (0, or 1 after a failed check or a scenario that failed). */
    int run() {
        long start = System.nanoTime();
        RuntimeDescription.printJvm("repl");
        try {
            Files.createDirectories(options.dir());
        } catch (IOException e) {
            report.failure("cannot create " + options.dir() + ": " + e);
            return 1;
        }
        RuntimeDescription.printFileSystem("repl", options.dir());
        report.note("%s", options.describe());
        report.note("load_average_at_start=%s (other processes on these cpus skew every figure)", loadAverage());
        DemoLagScenario.Result demo = null;
        List<RateLagScenario.Result> lag = List.of();
        ThroughputScenario.Result throughput = null;
        List<CommitRateScenario.Result> commits = List.of();
        for (String scenario : options.scenarios()) {
            report.note("== scenario %s", scenario);
            try {
                switch (scenario) {
                    case "demo" -> demo = new DemoLagScenario(options, report).run();
                    case "lag" -> lag = new RateLagScenario(options, report).run();
                    case "throughput" -> throughput = new ThroughputScenario(options, report).run();
                    case "commits" -> commits = new CommitRateScenario(options, report).run();
                    default -> throw new IllegalStateException("no scenario " + scenario);
                }
            } catch (Exception e) {
                report.failure(scenario + " did not complete: " + e);
                e.printStackTrace();
            }
        }
        summarise(demo, lag, throughput, commits);
        report.note("load_average_at_end=%s total_seconds=%.1f", loadAverage(), (System.nanoTime() - start) / 1e9);
        return report.failures().isEmpty() ? 0 : 1;
    }

    private void summarise(DemoLagScenario.Result demo, List<RateLagScenario.Result> lag,
                           ThroughputScenario.Result throughput, List<CommitRateScenario.Result> commits) {
        if (demo != null) {
            double median = demo.lag().median() / 1e6;
            report.figure(FigureLine.of("summary", "demo_lag").add("target_ms", DEMO_TARGET_MS, 0)
                    .add("median_ms", median, 3).add("max_ms", demo.lag().max() / 1e6, 3)
                    .add("met", median < DEMO_TARGET_MS));
        }
        for (RateLagScenario.Result r : lag) {
            if (r.rate().equals(LAG_TARGET_RATE)) {
                double p99 = r.lag().percentile(99) / 1e6;
                report.figure(FigureLine.of("summary", "lag_p99").add("rate", r.rate().label())
                        .add("target_ms", LAG_P99_TARGET_MS, 0).add("p99_ms", p99, 3)
                        .add("met", p99 < LAG_P99_TARGET_MS));
            }
        }
        if (throughput != null) {
            report.figure(FigureLine.of("summary", "throughput").add("mb_per_sec", throughput.mbPerSecond(), 1)
                    .add("loopback_mb_per_sec", throughput.loopbackMbPerSecond(), 1)
                    .add("ratio_to_loopback", throughput.ratio(), 3));
        }
        if (!commits.isEmpty()) {
            FigureLine line = FigureLine.of("summary", "commits_vs_capture_off");
            for (CommitRateScenario.Result r : commits) {
                if (r.replicas() >= 0) {
                    line.add("replicas_" + r.replicas(), r.ratio(), 3);
                }
            }
            report.figure(line);
        }
        List<String> failures = report.failures();
        report.figure(FigureLine.of("summary", "self_check").add("passed", failures.isEmpty())
                .add("problems", failures.size()));
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + "," + fields[1] + "," + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
