package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LtxChecksumsTest {
    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void pageChecksumVectors() {
        assertThat(LtxChecksums.pageChecksum(1, new byte[4096])).isEqualTo(0xd9328f592d9e733dL);
        assertThat(LtxChecksums.pageChecksum(2, filled(4096, 0xAB))).isEqualTo(0xa575892524e9562bL);
    }

    @Test
    void databaseChecksumVectors() {
        byte[] image = new byte[8192];
        System.arraycopy(filled(4096, 0xAB), 0, image, 4096, 4096);
        assertThat(LtxChecksums.databaseChecksum(4096, image)).isEqualTo(0xfc47067c09772516L);
        assertThat(LtxChecksums.databaseChecksum(4096, new byte[0])).isEqualTo(0x8000000000000000L);
        assertThat(LtxChecksums.EMPTY_DATABASE).isEqualTo(0x8000000000000000L);
        assertThat(LtxChecksums.databaseChecksum(4096,
                new long[] {0xd9328f592d9e733dL, 0xa575892524e9562bL})).isEqualTo(0xfc47067c09772516L);
    }

    @Test
    void lockPage() {
        assertThat(LtxChecksums.lockPage(4096)).isEqualTo(262145);
        assertThat(LtxChecksums.lockPage(512)).isEqualTo(2097153);
        assertThat(LtxChecksums.lockPage(65536)).isEqualTo(16385);
    }

    @Test
    void lockPageIsSkipped() {
        long lock = LtxChecksums.lockPage(65536);
        long[] sums = new long[(int) lock + 1];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = LtxChecksums.FLAG | (i * 0x9E3779B97F4A7C15L);
        }
        long withoutLock = sums[(int) lock - 1];
        long a = LtxChecksums.databaseChecksum(65536, sums);
        sums[(int) lock - 1] ^= 12345;
        assertThat(LtxChecksums.databaseChecksum(65536, sums)).isEqualTo(a);
        assertThat(withoutLock).isNotZero();
    }

    @Test
    void incrementalUpdateMatchesRecomputation() {
        long seed = System.nanoTime();
        System.out.println("LtxChecksumsTest seed " + seed);
        Random r = new Random(seed);
        int ps = 512;
        byte[] db = new byte[ps * 10];
        r.nextBytes(db);
        long sum = LtxChecksums.databaseChecksum(ps, db);
        // change page 3, grow to 12 pages, shrink to 7 pages
        byte[] next = Arrays.copyOf(db, ps * 12);
        r.nextBytes(next);
        System.arraycopy(db, 0, next, 0, ps * 10);
        byte[] p3 = new byte[ps];
        r.nextBytes(p3);
        System.arraycopy(p3, 0, next, 2 * ps, ps);
        long s = LtxChecksums.replacePage(sum, LtxChecksums.pageChecksum(3, db, 2 * ps, ps),
                LtxChecksums.pageChecksum(3, p3));
        s = LtxChecksums.replacePage(s, 0, LtxChecksums.pageChecksum(11, next, 10 * ps, ps));
        s = LtxChecksums.replacePage(s, 0, LtxChecksums.pageChecksum(12, next, 11 * ps, ps));
        assertThat(s).as("seed %d", seed).isEqualTo(LtxChecksums.databaseChecksum(ps, next));
        for (int p = 12; p > 7; p--) {
            s = LtxChecksums.replacePage(s, LtxChecksums.pageChecksum(p, next, (p - 1) * ps, ps), 0);
        }
        assertThat(s).as("seed %d", seed).isEqualTo(LtxChecksums.databaseChecksum(ps, Arrays.copyOf(next, 7 * ps)));
    }
}
