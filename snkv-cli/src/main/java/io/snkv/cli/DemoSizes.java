package io.snkv.cli;

import java.util.Locale;

/** How the seed's programs print a size: "10 MB" for whole mebibytes (C's "%.2f": a dot in every locale). */
final class DemoSizes {
    private DemoSizes() {
    }

    static String megabytes(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return (bytes / (1024 * 1024)) + " MB";
        }
        return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024.0));
    }
}
