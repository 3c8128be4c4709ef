package io.snkv.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The command line of {@link WorkloadRunner}, checked once so the rest of the runner can trust it. */
record RunnerOptions(List<String> impls, int n, int passes, int runs, Path dir, Path cRunner, String childImpl) {

    static final String USAGE = String.join("\n",
            "usage: WorkloadRunner [--impl snkv|snkv-capture|sqlite|both|c|<comma list>] [--n N] [--passes K]",
            "                      [--runs R] [--dir TMP_PARENT] [--c-runner PATH_TO_snkv-c-workloads]",
            "  --impl      implementations, each run in its own child JVM (default both = snkv,sqlite);",
            "              snkv-capture is snkv with change capture on (its LTX log in the run's temporary directory):",
            "              --impl snkv,snkv-capture measures what capture costs",
            "  --n         entries (default 1000000; the self-check applies only to 1000000)",
            "  --passes    passes of the eight phases per process, the last one being the warm figure (default 1)",
            "  --runs      runs of each implementation, interleaved: run 1 of each, then run 2... (default 1)",
            "  --dir       parent of the fresh temporary directories (default java.io.tmpdir)",
            "  --c-runner  the C SNKV reference runner; adds impl c (needs --n 1000000)");

    static final List<String> JAVA_IMPLS = List.of(SnkvEngine.PLAIN, SnkvEngine.CAPTURE, "sqlite");

    /** What {@code both}, and no --impl at all, means: this store and its SQL peer. */
    static final List<String> BOTH = List.of(SnkvEngine.PLAIN, "sqlite");

    static RunnerOptions parse(String[] args) {
        List<String> impls = new ArrayList<>(BOTH);
        int n = SelfCheck.CHECKED_N;
        int passes = 1;
        int runs = 1;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        Path cRunner = null;
        String childImpl = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--impl" -> impls = implList(value);
                case "--n" -> n = positive(option, value);
                case "--passes" -> passes = positive(option, value);
                case "--runs" -> runs = positive(option, value);
                case "--dir" -> dir = Path.of(value);
                case "--c-runner" -> cRunner = Path.of(value);
                case "--child" -> childImpl = value; // internal: this process runs one implementation
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (n >= WorkloadData.MAX_NUMBER) {
            throw new IllegalArgumentException("--n must be below " + WorkloadData.MAX_NUMBER + " (8-digit keys)");
        }
        if (cRunner != null && !impls.contains("c")) {
            impls.add("c");
        }
        if (impls.contains("c")) {
            if (cRunner == null || !Files.isExecutable(cRunner)) {
                throw new IllegalArgumentException("impl c needs --c-runner pointing at the snkv-c-workloads binary");
            }
            if (n != SelfCheck.CHECKED_N) {
                throw new IllegalArgumentException("the C reference runner has N fixed at " + SelfCheck.CHECKED_N);
            }
        }
        if (childImpl != null && !JAVA_IMPLS.contains(childImpl)) {
            throw new IllegalArgumentException("--child takes one of " + JAVA_IMPLS);
        }
        return new RunnerOptions(List.copyOf(impls), n, passes, runs, dir, cRunner, childImpl);
    }

    private static List<String> implList(String value) {
        List<String> impls = new ArrayList<>();
        for (String name : value.split(",")) {
            if (name.equals("both")) {
                impls.addAll(BOTH);
            } else if (JAVA_IMPLS.contains(name) || name.equals("c")) {
                impls.add(name);
            } else {
                throw new IllegalArgumentException("unknown impl " + name + " (snkv, snkv-capture, sqlite, both, c)");
            }
        }
        return impls.stream().distinct().collect(Collectors.toCollection(ArrayList::new));
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a positive integer, got " + value);
    }
}
