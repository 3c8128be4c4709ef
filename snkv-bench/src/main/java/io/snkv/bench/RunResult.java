package io.snkv.bench;

import java.util.List;

/**
 * What one child process reported: its phase lines, its change-capture lines (none without capture), its peak RSS
 * (-1 if none) and its exit code.
 */
record RunResult(String impl, int run, List<PhaseResult> phases, List<CaptureFigures> captures, long peakRssKb,
        int exitCode) {
}
