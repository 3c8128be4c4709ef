package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The primary's stream limits: the snapshot deadline and heartbeats while a snapshot is spooled. */
class StreamLimitsTest {
    @Test
    void aSnapshotPastItsTimeoutStopsBeingRead() throws Exception {
        InputStream in = SnapshotDeadline.wrap(new ByteArrayInputStream(new byte[100]), Duration.ofMillis(30));
        assertThat(in.read(new byte[10], 0, 10)).isEqualTo(10);
        Thread.sleep(60);
        assertThatThrownBy(() -> in.read(new byte[10], 0, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("http.snapshot-timeout");
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }

    @Test
    void aZeroTimeoutMeansNoLimit() {
        InputStream raw = new ByteArrayInputStream(new byte[1]);
        assertThat(SnapshotDeadline.wrap(raw, Duration.ZERO)).isSameAs(raw);
    }

    @Test
    void heartbeatsComeEverySecondUntilClosed() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        try (HeartbeatsWhile h = new HeartbeatsWhile(beats::incrementAndGet)) {
            Thread.sleep(2_500);
        }
        int atClose = beats.get();
        assertThat(atClose).isBetween(1, 3); // about one a second (a loaded machine may lose one)
        Thread.sleep(1_200);
        assertThat(beats.get()).isEqualTo(atClose);
    }

    @Test
    void aFailedBeatEndsTheBeatsQuietly() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        try (HeartbeatsWhile h = new HeartbeatsWhile(() -> {
            tries.incrementAndGet();
            throw new IOException("stream closed");
        })) {
            Thread.sleep(2_300);
        }
        assertThat(tries.get()).isEqualTo(1);
    }
}
