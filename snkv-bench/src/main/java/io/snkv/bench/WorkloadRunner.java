package io.snkv.bench;

/**
 * Runs bench/WORKLOADS.md for this store and its peers: {@code java -cp <snkv-bench jar> io.snkv.bench.WorkloadRunner
 * --impl both --runs 3}. Result lines go to standard output, everything else to standard error. Each implementation
 * runs in a child process of its own (this class again, with the internal {@code --child} option).
 */
public final class WorkloadRunner {

    private WorkloadRunner() {
    }

    public static void main(String[] args) throws Exception {
        RunnerOptions options;
        try {
            options = RunnerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(RunnerOptions.USAGE);
            System.exit(2);
            return;
        }
        int exitCode = options.childImpl() != null
                ? new SingleImplementationRun(options).run()
                : new InterleavedComparison(options).run();
        System.out.flush();
        System.exit(exitCode);
    }
}
