package io.snkv.bench;

import java.util.List;

/** What one child process reported: its phase lines, its peak RSS (-1 if none) and its exit code. */
record RunResult(String impl, int run, List<PhaseResult> phases, long peakRssKb, int exitCode) {
}
