package io.snkv.internal.capture;

import io.snkv.ltx.LtxChecksums;
import java.util.Arrays;

/**
 * LTX page checksums of a database's committed pages, remembered so a commit can take each changed
 * page's old checksum out of the rolling database checksum without hashing the old page again
 * (8 bytes a page). 0 means not known. Valid only while no other writer has committed: the owner clears
 * it when the database moved without it. Guarded by the write lock.
 */
final class PageChecksums {
    private long[] sums = new long[0];

    long get(int pgno) {
        return pgno < sums.length ? sums[pgno] : 0;
    }

    void set(int pgno, long sum) {
        if (pgno >= sums.length) {
            sums = Arrays.copyOf(sums, Math.max(pgno + 1, sums.length * 2));
        }
        sums[pgno] = sum;
    }

    /** The checksum of {@code data} as page {@code pgno}, remembered. */
    long compute(int pgno, byte[] data) {
        long s = LtxChecksums.pageChecksum(pgno, data);
        set(pgno, s);
        return s;
    }

    /** Forgets pages above {@code pages}. */
    void truncate(int pages) {
        if (pages + 1 < sums.length) {
            Arrays.fill(sums, pages + 1, sums.length, 0);
        }
    }

    void clear() {
        sums = new long[0];
    }
}
