package io.snkv.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One phase line read back from a child's standard output. */
record PhaseResult(String impl, int pass, String workload, long ops, double seconds, long opsPerSec) {

    /** Parses {@code impl=.. [pass=..] workload=.. ops=.. seconds=.. ops_per_sec=..}; empty for any other line. */
    static Optional<PhaseResult> parse(String line) {
        Map<String, String> fields = fields(line);
        if (!fields.containsKey("workload") || !fields.containsKey("ops_per_sec")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PhaseResult(fields.get("impl"), Integer.parseInt(fields.getOrDefault("pass", "1")),
                    fields.get("workload"), Long.parseLong(fields.get("ops")), Double.parseDouble(fields.get("seconds")),
                    Long.parseLong(fields.get("ops_per_sec"))));
        } catch (RuntimeException e) {
            return Optional.empty(); // e.g. "unsupported" in place of a figure
        }
    }

    /** The {@code peak_rss_kb} of a line that has one. */
    static Optional<Long> peakRssKb(String line) {
        String value = fields(line).get("peak_rss_kb");
        try {
            return value == null ? Optional.empty() : Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return fields;
    }
}
