package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.LtxPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary that goes silent (REPLICATION.md 2.4: a replica treats 10 s without a byte as a dead connection): a
 * proxy between a real primary and its replica stops forwarding, after READY and a heartbeat, and keeps the
 * connection open for 15 s. The replica must give the connection up and reconnect no earlier than about 9 s and no
 * later than about 14 s after the last byte it got (the protocol's bound, not a speed), count it as a
 * {@code silence} stream error, and then reach the primary's position, commits made during the silence included.
 * Takes about 12 s.
 */
class StreamSilenceTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSilentConnectionIsGivenUpAfterTenSecondsAndTheReplicaConverges() throws Exception {
        try (Node p = Node.start(new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1", null,
                true, null, null, Duration.ofMinutes(10), Duration.ofMillis(100), List.of()));
             FreezingProxy proxy = new FreezingProxy(Integer.parseInt(p.httpUrl().substring(p.httpUrl().lastIndexOf(':') + 1)));
             Node r = Node.start(new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2", null,
                     false, "host1", proxy.url(), Duration.ofMinutes(10), Duration.ofMillis(100), List.of()))) {
            LtxPosition before = commit(dir.resolve("mnt1/s.db"), 0, 10);
            await("the replica caught up", 30, () -> r.isReady() && r.position("s.db").equals(before));
            await("a heartbeat after READY", 10, () -> r.metrics().framesReceived.labelValues("heartbeat").get() >= 1);
            double reconnects = r.metrics().reconnects.get();
            double silences = r.metrics().streamErrors.labelValues("replica", "silence").get();
            int connections = proxy.connections().size();

            List<FreezingProxy.Connection> frozen = proxy.freeze(15_000);
            LtxPosition after = commit(dir.resolve("mnt1/s.db"), 10, 5); // sent into the silence
            await("a new connection", 30, () -> proxy.connections().size() > connections);
            FreezingProxy.Connection next = proxy.connections().get(connections);
            long lastByte = frozen.stream().mapToLong(c -> c.lastForwardNanos).max().orElseThrow();
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(next.acceptedNanos - lastByte);
            System.out.println("[StreamSilenceTest] reconnected " + silentMillis + " ms after the last byte");
            assertThat(silentMillis).as("ms from the last byte to the reconnection").isBetween(9_000L, 14_000L);
            assertThat(r.metrics().reconnects.get()).as("reconnects").isGreaterThan(reconnects);
            assertThat(r.metrics().streamErrors.labelValues("replica", "silence").get()).as("silence errors")
                    .isEqualTo(silences + 1);
            await("the replica caught up after reconnecting", 30, () -> r.position("s.db").equals(after));
            assertThat(RecordedHistory.differences(RecordedHistory.read(dir.resolve("mnt1/s.db")),
                    RecordedHistory.read(dir.resolve("mnt2/s.db")))).isEmpty();
        }
    }

    private static LtxPosition commit(Path db, int from, int count) {
        try (KVStore s = KVStore.open(db)) {
            for (int i = from; i < from + count; i++) {
                s.put(("k" + i).getBytes(), ("value " + i).getBytes());
            }
            return s.capturePosition().orElseThrow();
        }
    }

    private static void await(String what, int seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
