package io.snkv.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@link ReplicationBench}, checked once so the scenarios can trust it.
 *
 * @param scenarios        which scenarios run, always in the order of {@link #ALL_SCENARIOS}
 * @param rounds           measured demo rounds, after one discarded warm-up round
 * @param chunks           demo chunks per round
 * @param chunkSize        bytes per demo chunk
 * @param rates            paces of the lag scenario
 * @param rateSeconds      how long each paced rate runs
 * @param maxCommits       commits of the unpaced ({@code max}) rate
 * @param lagWarmup        unmeasured commits before the first rate
 * @param valueBytes       value size of the small transactions (lag and commit-rate scenarios)
 * @param txns             1 MiB-class transactions of the throughput scenario
 * @param txnBytes         the value size of each of them
 * @param throughputWarmup unmeasured transactions of that size first
 * @param copies           measured loopback socket copies (median reported), after one unmeasured
 * @param commits          measured commits per setup of the commit-rate scenario
 * @param commitWarmup     unmeasured commits before them, per setup
 * @param dir              parent of every temporary directory
 * @param seed             seed of the random keys and values
 */
record ReplicationBenchOptions(List<String> scenarios, int rounds, int chunks, int chunkSize, List<CommitRate> rates,
                               double rateSeconds, int maxCommits, int lagWarmup, int valueBytes, int txns,
                               int txnBytes, int throughputWarmup, int copies, int commits, int commitWarmup,
                               Path dir, long seed) {

    static final List<String> ALL_SCENARIOS = List.of("demo", "lag", "throughput", "commits");
    static final int MIB = 1 << 20;
    /** The store's largest value (KVStoreConfig's default maximum). */
    static final int MAX_VALUE = 10 * MIB;

    static final String USAGE = String.join("\n",
            "usage: ReplicationBench [--scenarios LIST] [--rounds R] [--chunks N] [--chunk-size B] [--rates LIST]",
            "                        [--rate-seconds S] [--max-commits N] [--lag-warmup N] [--value-bytes B]",
            "                        [--txns N] [--txn-bytes B] [--throughput-warmup N] [--copies N]",
            "                        [--commits N] [--commit-warmup N] [--dir TMP_PARENT] [--seed S]",
            "A primary and replica nodes in this JVM on 127.0.0.1 (ports chosen by the system), in fresh temporary",
            "directories deleted afterwards. Scenarios, in this order (default all: demo,lag,throughput,commits):",
            "  demo        the seed demo's writer (chunk_0.. of the A-Z pattern, one commit per chunk) into a new",
            "              database each round; lag from its last commit returning to the replica applying that TXID",
            "    --rounds        measured rounds after one discarded warm-up round (default 5)",
            "    --chunks        chunks per round (default 10)",
            "    --chunk-size    bytes per chunk, at most 10 MiB (default 1048576)",
            "  lag         one replica; the primary commits one put (random 16-byte key, random value) per",
            "              transaction at each rate; lag of every commit from its return to the replica's apply",
            "    --rates         comma list of commits per second, or max = unpaced (default 100,1000,max)",
            "    --rate-seconds  duration of each paced rate (default 5)",
            "    --max-commits   commits of the max rate (default 5000)",
            "    --lag-warmup    unmeasured commits before the first rate (default 1000)",
            "    --value-bytes   value size of these small transactions, also for commits (default 100)",
            "  throughput  one replica; transactions of one put of a random (incompressible) value, as fast as",
            "              the primary commits them; MB/s from the first commit to the replica's apply of the",
            "              last, beside a plain socket copy of the same bytes on 127.0.0.1 (1 MiB buffer)",
            "    --txns              measured transactions (default 64)",
            "    --txn-bytes         value bytes per transaction, at most 10 MiB (default 1048576)",
            "    --throughput-warmup unmeasured transactions first (default 4)",
            "    --copies            measured socket copies, median reported (default 3)",
            "  commits     commits per second of one thread on the primary: a plain store (capture off), then",
            "              a node's primary with 0, 1 and 2 replicas connected",
            "    --commits       measured commits per setup (default 20000)",
            "    --commit-warmup unmeasured commits first, per setup (default 1000)",
            "  --dir   parent of the temporary directories (default java.io.tmpdir)",
            "  --seed  seed of the random keys and values (default 1)",
            "Figures go to standard output as key=value lines; settings and per-round details to standard error.",
            "MB = 10^6 bytes; ms = 10^-3 s.");

    static ReplicationBenchOptions parse(String[] args) {
        List<String> scenarios = ALL_SCENARIOS;
        int rounds = 5;
        int chunks = 10;
        int chunkSize = MIB;
        List<CommitRate> rates = List.of(new CommitRate(100), new CommitRate(1000), CommitRate.MAX);
        double rateSeconds = 5;
        int maxCommits = 5000;
        int lagWarmup = 1000;
        int valueBytes = 100;
        int txns = 64;
        int txnBytes = MIB;
        int throughputWarmup = 4;
        int copies = 3;
        int commits = 20_000;
        int commitWarmup = 1000;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        long seed = 1;
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
                case "--scenarios" -> scenarios = scenarioList(value);
                case "--rounds" -> rounds = OptionValues.atLeast(option, value, 1);
                case "--chunks" -> chunks = OptionValues.atLeast(option, value, 1);
                case "--chunk-size" -> chunkSize = OptionValues.atLeast(option, value, 1);
                case "--rates" -> rates = rateList(value);
                case "--rate-seconds" -> rateSeconds = positiveSeconds(option, value);
                case "--max-commits" -> maxCommits = OptionValues.atLeast(option, value, 1);
                case "--lag-warmup" -> lagWarmup = OptionValues.atLeast(option, value, 0);
                case "--value-bytes" -> valueBytes = OptionValues.atLeast(option, value, 1);
                case "--txns" -> txns = OptionValues.atLeast(option, value, 1);
                case "--txn-bytes" -> txnBytes = OptionValues.atLeast(option, value, 1);
                case "--throughput-warmup" -> throughputWarmup = OptionValues.atLeast(option, value, 0);
                case "--copies" -> copies = OptionValues.atLeast(option, value, 1);
                case "--commits" -> commits = OptionValues.atLeast(option, value, 1);
                case "--commit-warmup" -> commitWarmup = OptionValues.atLeast(option, value, 0);
                case "--dir" -> dir = Path.of(value);
                case "--seed" -> seed = OptionValues.parseLong(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (chunkSize > MAX_VALUE || txnBytes > MAX_VALUE || valueBytes > MAX_VALUE) {
            throw new IllegalArgumentException("--chunk-size, --txn-bytes and --value-bytes must be at most "
                    + MAX_VALUE + " (the store's largest value)");
        }
        if (txnBytes < Long.BYTES) {
            throw new IllegalArgumentException("--txn-bytes must be at least 8 (each value starts with its number)");
        }
        for (CommitRate r : rates) {
            if (!r.isMax() && (long) Math.ceil(r.perSecond() * rateSeconds) > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("--rates x --rate-seconds is too many commits for rate "
                        + r.label());
            }
        }
        return new ReplicationBenchOptions(scenarios, rounds, chunks, chunkSize, rates, rateSeconds, maxCommits,
                lagWarmup, valueBytes, txns, txnBytes, throughputWarmup, copies, commits, commitWarmup, dir, seed);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** Commits a rate makes: {@code --max-commits} unpaced, else rate x duration (at least one). */
    int commitsAt(CommitRate rate) {
        return rate.isMax() ? maxCommits : (int) Math.max(1, Math.round(rate.perSecond() * rateSeconds));
    }

    /** One line for standard error. */
    String describe() {
        return String.format(Locale.ROOT, "settings scenarios=%s rounds=%d chunks=%d chunk_bytes=%d rates=%s"
                        + " rate_seconds=%s max_commits=%d lag_warmup=%d value_bytes=%d txns=%d txn_bytes=%d"
                        + " throughput_warmup=%d copies=%d commits=%d commit_warmup=%d dir=%s seed=%d",
                String.join(",", scenarios), rounds, chunks, chunkSize,
                String.join(",", rates.stream().map(CommitRate::label).toList()), rateSeconds, maxCommits, lagWarmup,
                valueBytes, txns, txnBytes, throughputWarmup, copies, commits, commitWarmup, dir, seed);
    }

    private static List<String> scenarioList(String value) {
        List<String> wanted = new ArrayList<>();
        for (String name : value.split(",")) {
            String n = name.trim();
            if (!ALL_SCENARIOS.contains(n)) {
                throw new IllegalArgumentException("unknown scenario " + n + " (" + String.join(", ", ALL_SCENARIOS)
                        + ")");
            }
            wanted.add(n);
        }
        return ALL_SCENARIOS.stream().filter(wanted::contains).toList();
    }

    private static List<CommitRate> rateList(String value) {
        List<CommitRate> rates = new ArrayList<>();
        for (String r : value.split(",")) {
            CommitRate rate = CommitRate.parse(r.trim());
            if (!rates.contains(rate)) {
                rates.add(rate);
            }
        }
        return List.copyOf(rates);
    }

    private static double positiveSeconds(String option, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s > 0 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes seconds in (0, 3600], got " + value);
    }
}
