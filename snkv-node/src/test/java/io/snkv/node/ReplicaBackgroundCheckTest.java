package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica database damaged while its node was stopped, in a way its state mark cannot see (a value byte
 * flipped, the modification time put back): once the restarted replica is ready, its background check finds the
 * database off its position and asks for a snapshot, with no commit on the primary to reveal it.
 */
class ReplicaBackgroundCheckTest {
    @TempDir
    Path dir;

    private NodeSettings primary() {
        return new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1", null, true, null,
                null, Duration.ofMinutes(10), Duration.ofMillis(100), List.of());
    }

    private NodeSettings replica(Node p) {
        return new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2", null, false, "host1",
                p.httpUrl(), Duration.ofMinutes(10), Duration.ofMillis(100), List.of());
    }

    private String victim() {
        try (KVStore s = KVStore.open(dir.resolve("mnt2/v.db"), KVStoreConfig.builder().readOnly(true).build())) {
            return s.getString("victim").orElse("");
        }
    }

    @Test
    void aDamagedReplicaIsResnapshottedOnceReadyWithoutAnyNewCommit() throws Exception {
        String value = "Z".repeat(300);
        try (Node p = Node.start(primary())) {
            Node r = Node.start(replica(p));
            try (KVStore app = p.open("v.db")) {
                app.put("victim", value);
                for (int i = 0; i < 20; i++) {
                    app.put("k" + i, "v" + i);
                }
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!r.position("v.db").equals(p.position("v.db")) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(r.position("v.db")).isEqualTo(p.position("v.db"));
            r.close();

            Path db = dir.resolve("mnt2/v.db");
            FileTime mtime = Files.getLastModifiedTime(db);
            byte[] bytes = Files.readAllBytes(db);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int at = text.indexOf(value);
            assertThat(at).as("the value is in the database file").isPositive();
            bytes[at + 150] = 'Y';
            Files.write(db, bytes);
            Files.setLastModifiedTime(db, mtime);
            assertThat(victim()).contains("Y");

            r = Node.start(replica(p));
            try {
                deadline = System.nanoTime() + 30_000_000_000L;
                while (!(victim().equals(value) && r.position("v.db").equals(p.position("v.db")))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(victim()).isEqualTo(value);
                assertThat(r.position("v.db")).isEqualTo(p.position("v.db"));
                assertThat(r.metrics().scrape()).contains("snkv_snapshots_received_total{db=\"v.db\"}");
            } finally {
                r.close();
            }
        }
    }
}
