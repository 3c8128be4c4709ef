package io.snkv.internal.capture;

import io.snkv.ltx.LtxChecksums;
import java.util.function.IntToLongFunction;

/** The LTX database checksum of pages 1..n, lock page skipped: the one loop every full recomputation uses. */
final class DatabaseChecksum {
    private DatabaseChecksum() {
    }

    /** @param pageChecksum the page checksum of page {@code pg} (hashed, or remembered) */
    static long of(int pages, int pageSize, IntToLongFunction pageChecksum) {
        long lock = LtxChecksums.lockPage(pageSize);
        long c = 0;
        for (int pg = 1; pg <= pages; pg++) {
            if (pg != lock) {
                c ^= pageChecksum.applyAsLong(pg);
            }
        }
        return c | LtxChecksums.FLAG;
    }
}
