package io.snkv.bench;

import java.util.Locale;

/** Prints the standard-output result lines of WORKLOADS.md for one implementation; nothing else goes to stdout. */
final class PhaseLinePrinter {

    private final String impl;
    private final boolean printPass;
    private int pass = 1;

    PhaseLinePrinter(String impl, int passes) {
        this.impl = impl;
        this.printPass = passes > 1;
    }

    void startPass(int pass) {
        this.pass = pass;
    }

    /** {@code impl=<name> [pass=<k> ]workload=<name> ops=<n> seconds=<x.xxx> ops_per_sec=<ops / seconds, truncated>}. */
    void phase(String workload, long ops, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        String line = String.format(Locale.ROOT, "impl=%s %sworkload=%s ops=%d seconds=%.3f ops_per_sec=%d",
                impl, printPass ? "pass=" + pass + " " : "", workload, ops, seconds, (long) (ops / seconds));
        System.out.println(line);
    }

    /** Standard error: how long closing a store took (untimed work such as the final checkpoint). */
    void closed(String fileName, long elapsedNanos) {
        System.err.printf(Locale.ROOT, "impl=%s pass=%d close=%s seconds=%.3f (not timed)%n", impl, pass, fileName,
                elapsedNanos / 1e9);
    }

    /** {@code impl=<name> [pass=<k> ]capture workload=<name> commits=.. ltx_files=.. ltx_bytes=.. ltx_bytes_per_commit=..}. */
    void capture(CaptureFigures figures) {
        System.out.println("impl=" + impl + " " + (printPass ? "pass=" + pass + " " : "") + figures.line());
    }

    void peakRss(long kilobytes) {
        System.out.println("impl=" + impl + " peak_rss_kb=" + kilobytes);
    }
}
