package io.snkv.bench;

import io.snkv.JournalMode;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of {@link MultiProcessBench}: a journal mode, whether a writer process runs, and how many
 * reader processes run beside it. Named {@code <mode>-w<0|1>-r<readers>}, e.g. {@code wal-w1-r4}.
 */
record MultiProcessScenario(JournalMode mode, boolean writer, int readers) {

    /**
     * What the benchmark measures by default: the writer with 0, 1 and 4 readers in WAL mode, with 0 and 1 reader
     * in DELETE mode, and one reader without a writer in each mode (the read figure to compare with).
     */
    static final List<MultiProcessScenario> DEFAULTS = List.of(
            new MultiProcessScenario(JournalMode.WAL, true, 0),
            new MultiProcessScenario(JournalMode.WAL, true, 1),
            new MultiProcessScenario(JournalMode.WAL, true, 4),
            new MultiProcessScenario(JournalMode.WAL, false, 1),
            new MultiProcessScenario(JournalMode.DELETE, true, 0),
            new MultiProcessScenario(JournalMode.DELETE, true, 1),
            new MultiProcessScenario(JournalMode.DELETE, false, 1));

    MultiProcessScenario {
        if (readers < 0 || (!writer && readers == 0)) {
            throw new IllegalArgumentException("a scenario needs a writer or at least one reader");
        }
    }

    String name() {
        return mode.name().toLowerCase(Locale.ROOT) + "-w" + (writer ? 1 : 0) + "-r" + readers;
    }

    /** The inverse of {@link #name()}. */
    static MultiProcessScenario parse(String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("-");
        if (parts.length != 3 || !parts[1].matches("w[01]") || !parts[2].matches("r\\d{1,2}")) {
            throw new IllegalArgumentException("scenario " + name + " is not <wal|delete>-w<0|1>-r<readers>");
        }
        JournalMode mode = switch (parts[0]) {
            case "wal" -> JournalMode.WAL;
            case "delete" -> JournalMode.DELETE;
            default -> throw new IllegalArgumentException("scenario " + name + ": mode is wal or delete");
        };
        return new MultiProcessScenario(mode, parts[1].equals("w1"), Integer.parseInt(parts[2].substring(1)));
    }
}
