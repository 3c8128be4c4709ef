package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64IsoTest {
    @Test
    void checkValue() {
        assertThat(Crc64Iso.checksum("123456789".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0xB90956C775A41001L);
    }

    @Test
    void emptyInputIsZero() {
        assertThat(Crc64Iso.checksum(new byte[0])).isZero();
    }

    @Test
    void slicingMatchesBitwiseAndStreamingInAnySplit() {
        long seed = System.nanoTime();
        System.out.println("Crc64IsoTest seed " + seed);
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            byte[] d = new byte[r.nextInt(100)];
            r.nextBytes(d);
            long expected = bitwise(d);
            assertThat(Crc64Iso.checksum(d)).as("seed %d len %d", seed, d.length).isEqualTo(expected);
            int split = d.length == 0 ? 0 : r.nextInt(d.length);
            long streamed = new Crc64Iso().update(d, 0, split).update(d, split, d.length - split).value();
            assertThat(streamed).as("seed %d split %d", seed, split).isEqualTo(expected);
        }
    }

    private static long bitwise(byte[] d) {
        long c = ~0L;
        for (byte b : d) {
            c ^= b & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xD800000000000000L : c >>> 1;
            }
        }
        return ~c;
    }

    @org.junit.jupiter.api.Test
    void rawCrcShiftedIntoAnyRegisterEqualsReadingTheBytes() {
        java.util.Random r = new java.util.Random(7);
        for (int len : new int[] {0, 1, 7, 16, 100, 512, 4096, 65536}) {
            byte[] prefix = new byte[r.nextInt(40)];
            byte[] data = new byte[len];
            r.nextBytes(prefix);
            r.nextBytes(data);
            long direct = new Crc64Iso().update(prefix, 0, prefix.length).update(data, 0, len).value();
            long viaRaw = new Crc64Iso().update(prefix, 0, prefix.length).updateRaw(Crc64Iso.raw(data, 0, len), len).value();
            org.assertj.core.api.Assertions.assertThat(viaRaw).as("length " + len).isEqualTo(direct);
            org.assertj.core.api.Assertions.assertThat(LtxChecksums.pageChecksumFromRaw(3, Crc64Iso.raw(data, 0, len), len))
                    .isEqualTo(LtxChecksums.pageChecksum(3, data));
        }
    }
}
