package io.snkv.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The parent-process side: run 1 of every implementation, then run 2, and so on, each in a fresh process, then the
 * summary. Interleaving spreads slow drifts of the machine (other load, thermal state) across implementations.
 */
final class InterleavedComparison {

    private final RunnerOptions options;

    InterleavedComparison(RunnerOptions options) {
        this.options = options;
    }

    /** Exit code: 0, or 1 when any child failed (a self-check or an error). */
    int run() throws Exception {
        System.err.printf("impls=%s n=%d passes=%d runs=%d dir=%s%n", options.impls(), options.n(), options.passes(),
                options.runs(), options.dir());
        ChildProcess child = new ChildProcess(options);
        List<RunResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            for (String impl : options.impls()) {
                RunResult result = child.run(impl, run);
                results.add(result);
                if (result.exitCode() != 0) {
                    failures.add("run " + run + " impl=" + impl + " exit=" + result.exitCode());
                }
            }
        }
        new ComparisonSummary(options.impls(), results).print(options.passes());
        if (!failures.isEmpty()) {
            System.err.println("FAILED runs (their figures are in the summary but not comparable): " + failures);
            return 1;
        }
        return 0;
    }
}
