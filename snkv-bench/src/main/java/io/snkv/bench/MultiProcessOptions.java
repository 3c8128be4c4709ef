package io.snkv.bench;

import io.snkv.JournalMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link MultiProcessBench}, checked once. The {@code --role} options are internal: they make
 * the process one child (a writer or a reader) of a scenario instead of the parent that runs the scenarios.
 */
record MultiProcessOptions(int seconds, int warmupSeconds, Path dir, List<MultiProcessScenario> scenarios,
                           int walSizeLimit, String role, Path db, JournalMode mode, long seed) {

    static final String USAGE = String.join("\n",
            "usage: MultiProcessBench [--seconds S] [--warmup S] [--dir TMP_PARENT] [--scenarios LIST]",
            "                         [--wal-size-limit N]",
            "  --seconds         measured time of each scenario, after the start barrier and the warm-up (default 5)",
            "  --warmup          time each process loops before the measured time starts (default 1; 0 = none)",
            "  --dir             parent of the fresh temporary directory of each scenario (default java.io.tmpdir)",
            "  --scenarios       comma list of <wal|delete>-w<0|1>-r<readers> (default "
                    + String.join(",", MultiProcessScenario.DEFAULTS.stream().map(MultiProcessScenario::name).toList())
                    + ")",
            "  --wal-size-limit  commits between automatic PASSIVE checkpoints, for every process (default 0 = the",
            "                    store's default: none until close, so the WAL grows by about one 4 KiB frame per",
            "                    commit; at tens of thousands of commits per second that is hundreds of MB in --dir)",
            "Each scenario: a fresh database holding " + MultiProcessDatabase.KEYS + " keys with "
                    + MultiProcessDatabase.VALUE_SIZE + "-byte values; one writer child JVM (autocommit puts of one",
            "random key) and/or reader child JVMs (read transactions of " + MultiProcessDatabase.GETS_PER_READ
                    + " random gets), all started, then released together.",
            "Figures go to standard output as `mp <figure> <labels> value=<v>`, everything else to standard error.");

    static MultiProcessOptions parse(String[] args) {
        int seconds = 5;
        int warmup = 1;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        List<MultiProcessScenario> scenarios = MultiProcessScenario.DEFAULTS;
        String role = null;
        Path db = null;
        JournalMode mode = JournalMode.WAL;
        long seed = 1;
        int walSizeLimit = 0;
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
                case "--seconds" -> seconds = OptionValues.atLeast(option, value, 1);
                case "--warmup" -> warmup = OptionValues.atLeast(option, value, 0);
                case "--dir" -> dir = Path.of(value);
                case "--scenarios" -> scenarios = scenarioList(value);
                case "--wal-size-limit" -> walSizeLimit = OptionValues.atLeast(option, value, 0);
                // internal, for the child JVMs
                case "--role" -> role = value;
                case "--db" -> db = Path.of(value);
                case "--mode" -> mode = JournalMode.valueOf(value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (role != null) {
            if (!role.equals(MultiProcessChild.WRITER) && !role.equals(MultiProcessChild.READER)) {
                throw new IllegalArgumentException("--role takes " + MultiProcessChild.WRITER + " or "
                        + MultiProcessChild.READER);
            }
            if (db == null) {
                throw new IllegalArgumentException("--role needs --db");
            }
        }
        return new MultiProcessOptions(seconds, warmup, dir, scenarios, walSizeLimit, role, db, mode, seed);
    }

    private static List<MultiProcessScenario> scenarioList(String value) {
        List<MultiProcessScenario> list = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                list.add(MultiProcessScenario.parse(name.trim()));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--scenarios names no scenario");
        }
        return List.copyOf(list);
    }
}
