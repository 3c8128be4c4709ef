package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesAreNearestRankAndAlwaysARecordedValue() {
        LatencyRecorder r = new LatencyRecorder(1);
        for (int i = 100; i >= 1; i--) {
            r.record(i * 10L); // out of order, and past the initial capacity
        }
        LatencyRecorder.Summary s = r.summary();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.median()).isEqualTo(500);
        assertThat(s.percentile(99)).isEqualTo(990);
        assertThat(s.percentile(99.5)).isEqualTo(1000);
        assertThat(s.min()).isEqualTo(10);
        assertThat(s.max()).isEqualTo(1000);
        assertThat(s.percentile(0.001)).isEqualTo(10);
    }

    @Test
    void aSmallOddCountHasItsMiddleAsMedian() {
        LatencyRecorder r = new LatencyRecorder(5);
        for (long v : new long[] {7, -2, 30, 4, 11}) {
            r.record(v);
        }
        assertThat(r.summary().median()).isEqualTo(7);
        assertThat(r.summary().percentile(99)).isEqualTo(30);
    }

    @Test
    void refusesAnEmptyRecorderAndBadPercentiles() {
        assertThatThrownBy(() -> new LatencyRecorder(4).summary()).isInstanceOf(IllegalStateException.class);
        LatencyRecorder r = new LatencyRecorder(1);
        r.record(1);
        assertThatThrownBy(() -> r.summary().percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.summary().percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
