package io.snkv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident set, Linux's {@code VmHWM}. */
final class PeakRss {

    private PeakRss() {
    }

    /** Kilobytes, or -1 where /proc/self/status does not say (not Linux). */
    static long kilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("peak RSS unavailable: " + e);
        }
        return -1;
    }
}
