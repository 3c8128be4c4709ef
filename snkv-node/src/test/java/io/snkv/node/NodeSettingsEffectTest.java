package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from node.yml that change what a node does: lease.databases and strict-verify. */
class NodeSettingsEffectTest {
    @TempDir
    Path dir;

    private NodeSettings primary(boolean strict) {
        return new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1", null, true, null, null,
                Duration.ofMinutes(10), Duration.ofMillis(100), List.of(), Duration.ofMinutes(1), Duration.ZERO, strict);
    }

    private NodeSettings replica(Node primary, List<String> databases, boolean strict) {
        return new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2", null, false, "host1",
                primary.httpUrl(), Duration.ofMinutes(10), Duration.ofMillis(100), databases, Duration.ofMinutes(1),
                Duration.ZERO, strict);
    }

    private static void await(Node replica, String db, LtxPosition want) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!replica.position(db).equals(want)) {
            assertThat(System.nanoTime()).as(db + " on " + replica + " at " + replica.position(db) + ", want " + want)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aReplicaWithLeaseDatabasesStreamsOnlyThose() throws Exception {
        try (Node p = Node.start(primary(false))) {
            try (KVStore a = KVStore.open(dir.resolve("mnt1/a.db")); KVStore b = KVStore.open(dir.resolve("mnt1/b.db"))) {
                a.put("k", "in a");
                b.put("k", "in b");
            }
            try (Node r = Node.start(replica(p, List.of("a.db"), false))) {
                await(r, "a.db", p.position("a.db"));
                try (KVStore a = KVStore.open(dir.resolve("mnt1/a.db"))) {
                    a.put("k2", "later");
                }
                await(r, "a.db", p.position("a.db"));
                assertThat(Files.exists(dir.resolve("mnt2/b.db"))).isFalse();
                assertThat(r.position("b.db")).isEqualTo(LtxPosition.ZERO);
                try (KVStore a = KVStore.open(dir.resolve("mnt2/a.db"), KVStoreConfig.builder().readOnly(true).build())) {
                    assertThat(a.getString("k2")).contains("later");
                }
            }
        }
    }

    @Test
    void strictVerifyPassesOnEveryApplyOfAnHonestStream() throws Exception {
        try (Node p = Node.start(primary(true)); Node r = Node.start(replica(p, List.of(), true))) {
            try (KVStore s = KVStore.open(dir.resolve("mnt1/s.db"))) {
                for (int i = 0; i < 30; i++) {
                    s.put("k" + i, "v".repeat(i * 50));
                }
            }
            await(r, "s.db", p.position("s.db"));
            assertThat(r.metrics().scrape()).doesNotContain("reason=\"verify\"");
            assertThat(r.debugVars()).contains("\"invalid\":false").doesNotContain("\"invalid\":true");
            assertThat(r.database("s.db").isInvalid()).isFalse();
        }
    }

    @Test
    void verificationFlagsADatabaseChangedBehindItsLog() throws Exception {
        try (Node p = Node.start(primary(false))) {
            try (KVStore s = KVStore.open(dir.resolve("mnt1/v.db"))) {
                s.put("k", "logged");
            }
            assertThat(p.database("v.db").verify()).isTrue();
            // A connection that writes its own log elsewhere: the node's log never hears of this commit.
            try (KVStore stray = KVStore.open(dir.resolve("mnt1/v.db"),
                    KVStoreConfig.builder().changeCapture(dir.resolve("elsewhere")).build())) {
                stray.put("k", "not logged");
            }
            assertThat(p.database("v.db").verify()).isFalse();
            assertThat(p.database("v.db").isInvalid()).isTrue();
            assertThat(p.debugVars()).contains("\"invalid\":true");
            assertThat(p.metrics().scrape()).contains("snkv_db_invalid{db=\"v.db\"} 1.0");
        }
    }

    @Test
    void anApplicationInTheNodesJvmOpensItsDatabasesThroughIt() throws Exception {
        try (Node p = Node.start(primary(false)); Node r = Node.start(replica(p, List.of(), false))) {
            try (KVStore s = p.open("app.db")) {
                s.put("k", "from the primary");
            }
            await(r, "app.db", p.position("app.db"));
            try (KVStore s = r.open("app.db")) {
                assertThat(s.getString("k")).contains("from the primary");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.put("k", "x"))
                        .isInstanceOf(io.snkv.ReadOnlyException.class).hasMessageContaining("host1");
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.open("../escape.db"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
