package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThroughputTest {
    @Test
    void ratesAreMegabytesPerSecondOfEachRun() {
        // 10^6 bytes in 1 s, 0.5 s and 0.25 s: 1, 2 and 4 MB/s
        Throughput t = new Throughput("x", 1_000_000, new long[] {500_000_000L, 1_000_000_000L, 250_000_000L});
        assertThat(t.min()).isCloseTo(1, within(1e-9));
        assertThat(t.median()).isCloseTo(2, within(1e-9));
        assertThat(t.max()).isCloseTo(4, within(1e-9));
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        Throughput t = new Throughput("x", 1_000_000, new long[] {1_000_000_000L, 500_000_000L, 250_000_000L,
                125_000_000L});
        assertThat(t.median()).isCloseTo(3, within(1e-9));
    }
}
