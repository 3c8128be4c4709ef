package io.snkv.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where {@link ReplicationBench} writes: figure lines ({@link FigureLine}) to standard output and nothing else there;
 * settings, per-round details and progress to standard error; problems (a replica whose data differs, a replica that
 * never applied) are collected so the run can end with {@code SELF-CHECK FAILED} and exit code 1. Not thread-safe.
 */
final class ReplicationReport {

    private final PrintStream out;
    private final PrintStream err;
    private final List<String> failures = new ArrayList<>();

    ReplicationReport(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    void figure(FigureLine line) {
        out.println(line);
        out.flush();
    }

    /** A line for standard error, formatted in the root locale. */
    void note(String format, Object... args) {
        err.println(String.format(Locale.ROOT, format, args));
    }

    /** {@code check=<scenario> databases=.. replicas=.. entries=.. bytes=.. equal=yes|no}; a difference is a failure. */
    void check(String scenario, ReplicaComparison.Result result) {
        figure(FigureLine.of("check", scenario).add("databases", result.databases()).add("replicas", result.replicas())
                .add("entries", result.entries()).add("bytes", result.bytes()).add("equal", result.equal()));
        for (String difference : result.differences()) {
            failure(scenario + ": " + difference);
        }
    }

    void failure(String what) {
        failures.add(what);
        err.println("SELF-CHECK FAILED: " + what);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }
}
