package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.LtxPosition;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ApplyTimesTest {
    @Test
    void aFileCoveringSeveralTxidsCountsAsApplyingEachAndDatabasesAreApart() throws Exception {
        ApplyTimes times = new ApplyTimes();
        times.accept("a.db", new LtxPosition(3, 1)); // a snapshot up to TXID 3
        times.accept("a.db", new LtxPosition(4, 2));
        long three = times.awaitApplied("a.db", 3, Duration.ZERO);
        assertThat(times.awaitApplied("a.db", 1, Duration.ZERO)).isEqualTo(three);
        assertThat(times.awaitApplied("a.db", 4, Duration.ZERO)).isGreaterThanOrEqualTo(three);
        assertThat(times.lastApplied("a.db")).isEqualTo(4);
        assertThat(times.lastApplied("b.db")).isZero();
        times.accept("a.db", new LtxPosition(4, 9)); // a resnapshot to the same TXID: the first apply stands
        assertThat(times.lastApplied("a.db")).isEqualTo(4);
    }

    @Test
    void aWaiterIsWokenByTheApplyAndTimesOutWithoutIt() throws Exception {
        ApplyTimes times = new ApplyTimes();
        Thread applier = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            times.accept("a.db", new LtxPosition(2, 1));
        });
        applier.start();
        long at = times.awaitApplied("a.db", 2, Duration.ofSeconds(30));
        applier.join();
        assertThat(times.awaitApplied("a.db", 2, Duration.ZERO)).isEqualTo(at);
        assertThatThrownBy(() -> times.awaitApplied("a.db", 3, Duration.ofMillis(20)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("TXID 3 of a.db");
    }
}
