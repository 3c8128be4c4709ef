package io.snkv.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What change capture wrote during one phase (or, as {@code workload=all}, one whole pass): the transactions it
 * logged, the LTX files that appeared in the log directory and their total size. Read back from a child's standard
 * output as {@code impl=.. [pass=..] capture workload=.. commits=.. ltx_files=.. ltx_bytes=.. ltx_bytes_per_commit=..}.
 */
record CaptureFigures(String impl, int pass, String workload, long commits, long files, long bytes) {

    static final String ALL = "all";

    long bytesPerCommit() {
        return commits > 0 ? bytes / commits : 0;
    }

    CaptureFigures plus(CaptureFigures other) {
        return new CaptureFigures(impl, pass, ALL, commits + other.commits, files + other.files, bytes + other.bytes);
    }

    /** The line after {@code impl=<name> [pass=<k> ]}. */
    String line() {
        return String.format(Locale.ROOT, "capture workload=%s commits=%d ltx_files=%d ltx_bytes=%d"
                + " ltx_bytes_per_commit=%d", workload, commits, files, bytes, bytesPerCommit());
    }

    /** Parses {@link #line()} behind its prefix; empty for any other line (phase lines included). */
    static Optional<CaptureFigures> parse(String line) {
        String[] tokens = line.trim().split("\\s+");
        Map<String, String> fields = new HashMap<>();
        boolean capture = false;
        for (String token : tokens) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            } else if (token.equals("capture")) {
                capture = true;
            }
        }
        if (!capture || !fields.containsKey("workload") || !fields.containsKey("ltx_bytes")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CaptureFigures(fields.get("impl"), Integer.parseInt(fields.getOrDefault("pass", "1")),
                    fields.get("workload"), Long.parseLong(fields.get("commits")),
                    Long.parseLong(fields.get("ltx_files")), Long.parseLong(fields.get("ltx_bytes"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
