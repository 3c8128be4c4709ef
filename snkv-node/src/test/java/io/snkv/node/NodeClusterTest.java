package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import io.snkv.ReadOnlyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process clusters: a primary and two replicas with static leases on loopback. Applications commit in
 * the primary's served directory; the replicas must reach the primary's exact position and content, and
 * end byte-identical once everything is checkpointed. Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
class NodeClusterTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());

    @TempDir
    Path dir;

    private NodeSettings primary(Path root) {
        return new NodeSettings(root.resolve("mnt1"), root.resolve("data1"), "127.0.0.1", 0, "host1",
                null, true, null, null, Duration.ofMinutes(10), Duration.ofMillis(100), List.of());
    }

    private NodeSettings replica(Path root, int i, Node primary) {
        return new NodeSettings(root.resolve("mnt" + (i + 1)), root.resolve("data" + (i + 1)), "127.0.0.1", 0,
                "host" + (i + 1), null, false, "host1", primary.httpUrl(), Duration.ofMinutes(10),
                Duration.ofMillis(100), List.of());
    }

    private static void awaitPosition(Node replica, String db, LtxPosition want) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!replica.position(db).equals(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(replica + " stuck at " + replica.position(db) + " for " + db + ", primary at " + want);
            }
            Thread.sleep(5);
        }
    }

    private static TreeMap<byte[], byte[]> contents(Path db) {
        TreeMap<byte[], byte[]> m = new TreeMap<>(Arrays::compareUnsigned);
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build());
             KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(it.key(), it.value());
            }
        }
        return m;
    }

    @Test
    void replicasFollowEveryCommitAndEndByteIdentical() throws Exception {
        System.out.println("[NodeClusterTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        Node p = Node.start(primary(dir));
        List<Node> replicas = new ArrayList<>();
        try {
            replicas.add(Node.start(replica(dir, 1, p)));
            String[] names = {"a.db", "b.db", "c.db"};
            TreeMap<String, LtxPosition> last = new TreeMap<>();
            for (int round = 0; round < 3; round++) {
                for (String name : names) {
                    try (KVStore s = KVStore.open(dir.resolve("mnt1").resolve(name))) {
                        int txns = 5 + rnd.nextInt(20);
                        for (int t = 0; t < txns; t++) {
                            s.begin(true);
                            for (int i = 0; i < 1 + rnd.nextInt(30); i++) {
                                byte[] k = ("k" + rnd.nextInt(400)).getBytes();
                                if (rnd.nextInt(5) == 0) {
                                    s.delete(k);
                                } else {
                                    byte[] v = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 20_000 : 300)];
                                    rnd.nextBytes(v);
                                    s.put(k, v);
                                }
                            }
                            s.commit();
                        }
                        last.put(name, s.capturePosition().orElseThrow());
                    }
                }
                if (round == 1) {
                    replicas.add(Node.start(replica(dir, 2, p))); // a late replica catches up by snapshot
                }
            }
            for (Node r : replicas) {
                for (String name : names) {
                    awaitPosition(r, name, last.get(name));
                }
            }
            // Writes on a replica fail naming the primary.
            Path onReplica = dir.resolve("mnt2").resolve("a.db");
            try (KVStore s = KVStore.open(onReplica)) {
                assertThatThrownBy(() -> s.put("x".getBytes(), "y".getBytes())).isInstanceOf(ReadOnlyException.class)
                        .hasMessageContaining("primary: host1");
            }
            for (String name : names) {
                TreeMap<byte[], byte[]> want = contents(dir.resolve("mnt1").resolve(name));
                for (int i = 2; i <= 3; i++) {
                    TreeMap<byte[], byte[]> got = contents(dir.resolve("mnt" + i).resolve(name));
                    assertThat(got.size()).as(name + " on replica " + i).isEqualTo(want.size());
                    for (var e : want.entrySet()) {
                        assertThat(got.get(e.getKey())).as(name + " value on replica " + i).isEqualTo(e.getValue());
                    }
                }
            }
            assertThat(p.debugVars()).contains("\"isPrimary\": true").contains("replicaNodeID");
            String metrics = p.metrics().scrape();
            assertThat(metrics).contains("snkv_node_is_primary 1.0").contains("snkv_replicas_connected 2.0")
                    .contains("snkv_db_txid{db=\"a.db\"} " + last.get("a.db").txid() + ".0")
                    .contains("snkv_stream_frames_sent_total{type=\"ltx\"}");
            assertThat(replicas.get(1).metrics().scrape()).contains("snkv_node_is_primary 0.0")
                    .contains("snkv_snapshots_received_total{db=\"a.db\"}");
            assertThat(replicas.get(0).debugVars()).contains("\"isPrimary\": false");
        } finally {
            for (Node r : replicas) {
                r.close();
            }
            p.close();
        }
        for (String name : new String[] {"a.db", "b.db", "c.db"}) {
            byte[] want = Files.readAllBytes(dir.resolve("mnt1").resolve(name));
            for (int i = 2; i <= 3; i++) {
                assertThat(Files.readAllBytes(dir.resolve("mnt" + i).resolve(name))).as(name + " file on replica " + i)
                        .isEqualTo(want);
            }
        }
        assertThat(NodeDescriptor.read(dir.resolve("mnt1/.snkv-node")).role()).isEqualTo("none");
    }

    @Test
    void aReplicaDatabaseChangedBehindItsNodeIsRepairedFromThePrimary() throws Exception {
        Node p = Node.start(primary(dir));
        Node r = null;
        try {
            r = Node.start(replica(dir, 1, p));
            LtxPosition last;
            try (KVStore s = KVStore.open(dir.resolve("mnt1/t.db"))) {
                for (int i = 0; i < 20; i++) {
                    s.put(("k" + i).getBytes(), ("v" + i).getBytes());
                }
                last = s.capturePosition().orElseThrow();
            }
            awaitPosition(r, "t.db", last);
            r.close();
            // Someone writes to the replica's file without its node (a store with a log of its own).
            try (KVStore s = KVStore.open(dir.resolve("mnt2/t.db"),
                    KVStoreConfig.builder().changeCapture(dir.resolve("elsewhere")).build())) {
                s.put("k3".getBytes(), "tampered".getBytes());
            }
            r = Node.start(replica(dir, 1, p));
            try (KVStore s = KVStore.open(dir.resolve("mnt1/t.db"))) {
                s.put("after".getBytes(), "restart".getBytes());
                last = s.capturePosition().orElseThrow();
            }
            awaitPosition(r, "t.db", last);
            TreeMap<byte[], byte[]> got = contents(dir.resolve("mnt2/t.db"));
            assertThat(got.get("k3".getBytes())).isEqualTo("v3".getBytes());
            assertThat(got.get("after".getBytes())).isEqualTo("restart".getBytes());
            assertThat(got).hasSize(21);
        } finally {
            if (r != null) {
                r.close();
            }
            p.close();
        }
    }

    @Test
    void eventsStreamInitThenOneTxPerCommitAsNdjsonAndServerSentEvents() throws Exception {
        Node p = Node.start(primary(dir));
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var ndjson = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(p.httpUrl() + "/events")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            var sse = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(p.httpUrl() + "/events"))
                    .header("Accept", "text/event-stream").build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertThat(ndjson.headers().firstValue("Content-Type")).hasValue("application/json");
            var lines = ndjson.body().iterator();
            var events = sse.body().iterator();
            assertThat(lines.next()).isEqualTo("{\"type\":\"init\",\"data\":{\"isPrimary\":true,\"hostname\":\"host1\"}}");
            assertThat(events.next()).isEqualTo("event: init");
            try (KVStore s = KVStore.open(dir.resolve("mnt1/e.db"))) {
                s.put("k".getBytes(), "v".getBytes());
            }
            assertThat(lines.next()).startsWith("{\"type\":\"tx\",\"db\":\"e.db\",\"data\":{\"txID\":\"0000000000000001\"");
            assertThat(lines.next()).startsWith("{\"type\":\"tx\",\"db\":\"e.db\",\"data\":{\"txID\":\"0000000000000002\"");
            String next;
            do {
                next = events.next();
            } while (!next.startsWith("event: tx"));
            assertThat(events.next()).startsWith("data: {\"type\":\"tx\",\"db\":\"e.db\"");
        } finally {
            p.close();
        }
    }

    @Test
    void commitsTheNodeHearsOfLateStillGetOneTxEventEachInTxidOrder() throws Exception {
        Node p = Node.start(primary(dir));
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var ndjson = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(p.httpUrl() + "/events")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            var lines = ndjson.body().iterator();
            assertThat(lines.next()).startsWith("{\"type\":\"init\"");
            // Capture into the node's log without the node's notices (as a lost or late HTTP notice would leave it).
            try (KVStore s = KVStore.open(dir.resolve("mnt1/c.db"), KVStoreConfig.builder().changeCapture(dir.resolve("data1")).build())) {
                for (int i = 0; i < 40; i++) {
                    s.put("k" + i, "v" + i);
                }
            }
            p.changed("c.db"); // one notice for 41 commits
            long last = p.position("c.db").txid();
            assertThat(last).isEqualTo(41);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (long want = 1; want <= last; want++) {
                var e = json.readTree(lines.next());
                assertThat(e.get("type").asText()).isEqualTo("tx");
                assertThat(e.get("data").get("txID").asText()).isEqualTo(String.format("%016x", want));
                assertThat(e.get("data").get("pageSize").asInt()).isEqualTo(4096);
                assertThat(e.get("data").get("commit").asLong()).isPositive();
            }
            assertThat(p.debugVars()).contains("\"pageSize\":4096");
        } finally {
            p.close();
        }
    }
}
