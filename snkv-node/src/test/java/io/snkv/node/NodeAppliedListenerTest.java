package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.LtxPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Node#onApplied}: a replica reports every applied file, in order, with the position {@link Node#position}
 * shows by then; a listener that throws does not stop replication or the other listeners; a primary reports none.
 */
class NodeAppliedListenerTest {
    @TempDir
    Path dir;

    private record Applied(String name, LtxPosition position, LtxPosition shownThen) {
    }

    @Test
    void aReplicaReportsEachAppliedFileInOrderAndSurvivesAThrowingListener() throws Exception {
        Node primary = Node.start(new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1",
                null, true, null, null, Duration.ofMinutes(10), Duration.ofMillis(100), List.of()));
        Node replica = null;
        try {
            List<String> onPrimary = new ArrayList<>();
            primary.onApplied((name, p) -> onPrimary.add(name));
            replica = Node.start(new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2",
                    null, false, "host1", primary.httpUrl(), Duration.ofMinutes(10), Duration.ofMillis(100), List.of()));
            Node r = replica;
            r.onApplied((name, p) -> {
                throw new IllegalStateException("a broken listener");
            });
            BlockingQueue<Applied> seen = new LinkedBlockingQueue<>();
            r.onApplied((name, p) -> seen.add(new Applied(name, p, r.position(name))));

            List<LtxPosition> committed = new ArrayList<>();
            try (KVStore s = KVStore.open(dir.resolve("mnt1/l.db"))) {
                for (int i = 0; i < 5; i++) {
                    s.put(("k" + i).getBytes(), ("v" + i).getBytes());
                    committed.add(s.capturePosition().orElseThrow());
                }
            }
            LtxPosition last = committed.get(committed.size() - 1);
            List<Applied> got = new ArrayList<>();
            while (got.isEmpty() || !got.get(got.size() - 1).position().equals(last)) {
                Applied a = seen.poll(30, TimeUnit.SECONDS);
                assertThat(a).as("an applied file within 30 s; so far " + got).isNotNull();
                got.add(a);
            }
            long previous = 0;
            for (Applied a : got) {
                assertThat(a.name()).isEqualTo("l.db");
                // Files that waited are applied together and then reported one by one: the position may be ahead.
                assertThat(a.shownThen().txid()).as("position shown when the listener ran").isGreaterThanOrEqualTo(a.position().txid());
                assertThat(a.position().txid()).isGreaterThan(previous);
                previous = a.position().txid();
            }
            // Every commit after the first file (a snapshot up to wherever the primary was) arrives as its own file.
            List<LtxPosition> reported = got.stream().map(Applied::position).toList();
            assertThat(reported).containsSubsequence(committed.subList(committed.indexOf(reported.get(0)) + 1,
                    committed.size()));
            assertThat(onPrimary).isEmpty();
        } finally {
            if (replica != null) {
                replica.close();
            }
            primary.close();
        }
    }
}
