package io.snkv.node;

import static io.snkv.node.NodeHttp.awaitPosition;
import static io.snkv.node.NodeHttp.awaitReady;
import static io.snkv.node.NodeHttp.hex;
import static io.snkv.node.NodeHttp.primary;
import static io.snkv.node.NodeHttp.replica;
import static io.snkv.node.NodeHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.snkv.CheckpointMode;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import io.snkv.node.NodeHttp.Reply;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints of REPLICATION.md 6 on in-process nodes (a primary and a replica with static leases), each
 * answer checked for status, headers and body: {@code /export} on both, {@code /import} and what replicas make
 * of it, its refusals, {@code /handoff}, {@code /promote}, {@code /local/notify}, {@code /halt} and {@code /tx}.
 */
class HttpEndpointsTest {
    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();

    private Node start(NodeSettings s) throws IOException {
        Node n = Node.start(s);
        nodes.add(n);
        return n;
    }

    @AfterEach
    void stop() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    /** Commits {@code n} entries to the served database {@code db} as an application would. */
    private static LtxPosition write(Path db, String prefix, int n, int valueSize) {
        try (KVStore s = KVStore.open(db)) {
            s.begin(true);
            for (int i = 0; i < n; i++) {
                byte[] v = new byte[valueSize];
                Arrays.fill(v, (byte) i);
                s.put((prefix + i).getBytes(), v);
            }
            s.commit();
            return s.capturePosition().orElseThrow();
        }
    }

    /** A database file made outside any node, as someone would upload it. */
    private Path image(String name, String prefix, int n, int valueSize, KVStoreConfig cfg) throws IOException {
        Path p = dir.resolve("images").resolve(name);
        Files.createDirectories(p.getParent());
        try (KVStore s = KVStore.open(p, cfg)) {
            s.begin(true);
            for (int i = 0; i < n; i++) {
                s.put((prefix + i).getBytes(), new byte[valueSize]);
            }
            s.commit();
        }
        return p;
    }

    private static TreeMap<String, Integer> contents(Path db) {
        TreeMap<String, Integer> m = new TreeMap<>();
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build());
             KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key()), it.value().length);
            }
        }
        return m;
    }

    private static void assertJsonError(Reply r, int status, Node from, String reasonPart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Snkv-Node-Id")).isEqualTo(from.nodeIdHex());
        assertThat(r.json().size()).as(r.text()).isEqualTo(1);
        assertThat(r.json().get("error").asText()).contains(reasonPart);
    }

    private static void assertImageOf(Reply r, Node from, LtxPosition p) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(r.body().length % 4096).isZero();
        assertThat(r.body().length).isPositive();
        assertThat(r.header("Snkv-Txid")).isEqualTo(hex(p.txid()));
        assertThat(r.header("Snkv-Checksum")).isEqualTo(hex(p.checksum()));
        assertThat(r.header("Snkv-Node-Id")).isEqualTo(from.nodeIdHex());
    }

    // ---- /export ----

    @Test
    void exportIsTheDatabaseImageAtTheNodesPositionOnThePrimaryAndOnTheReplica() throws Exception {
        Node p = start(primary(dir));
        Node r = start(replica(dir, 1, p));
        Path db = dir.resolve("mnt1/e.db");
        write(db, "k", 600, 150);
        LtxPosition last = write(db, "more", 40, 2_000);
        awaitPosition(r, "e.db", last);

        Reply fromPrimary = send("GET", p.httpUrl() + "/export?name=e.db");
        assertImageOf(fromPrimary, p, last);
        Reply fromReplica = send("GET", r.httpUrl() + "/export?name=e.db");
        assertImageOf(fromReplica, r, last);
        assertThat(fromReplica.body()).isEqualTo(fromPrimary.body());

        try (KVStore s = KVStore.open(db)) {
            s.checkpoint(CheckpointMode.TRUNCATE);
        }
        assertThat(Files.readAllBytes(db)).isEqualTo(fromPrimary.body());

        assertJsonError(send("GET", p.httpUrl() + "/export?name=nope.db"), 404, p, "no such database: nope.db");
        assertJsonError(send("GET", r.httpUrl() + "/export?name=nope.db"), 404, r, "no such database: nope.db");
        assertThat(p.debugVars()).doesNotContain("nope.db"); // asking did not make it known
    }

    // ---- /import ----

    @Test
    void importIsTheNextTransactionAndReplicasReceiveIt() throws Exception {
        Node p = start(primary(dir));
        Node r = start(replica(dir, 1, p));
        write(dir.resolve("mnt1/i.db"), "old", 400, 300);
        LtxPosition before = p.position("i.db");
        awaitPosition(r, "i.db", before);
        Path image = image("img.db", "new", 120, 80, KVStoreConfig.defaults());
        byte[] imageBytes = Files.readAllBytes(image);

        Reply res = send("POST", p.httpUrl() + "/import?name=i.db", imageBytes);
        LtxPosition after = p.position("i.db");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.header("Content-Type")).isEqualTo("application/json");
        assertThat(res.header("Snkv-Node-Id")).isEqualTo(p.nodeIdHex());
        assertThat(after.txid()).isEqualTo(before.txid() + 1);
        assertThat(res.json().properties()).hasSize(2);
        assertThat(res.json().get("txid").asText()).isEqualTo(hex(after.txid()));
        assertThat(res.json().get("checksum").asText()).isEqualTo(hex(after.checksum()));

        awaitPosition(r, "i.db", after);
        // Both nodes now hold the image exactly (it came from a WAL-mode file like theirs, so page 1 is as sent).
        assertImageOf(send("GET", p.httpUrl() + "/export?name=i.db"), p, after);
        assertThat(send("GET", p.httpUrl() + "/export?name=i.db").body()).isEqualTo(imageBytes);
        assertThat(send("GET", r.httpUrl() + "/export?name=i.db").body()).isEqualTo(imageBytes);
        assertThat(contents(dir.resolve("mnt2/i.db"))).isEqualTo(contents(image));
        String metrics = p.metrics().scrape();
        assertThat(metrics).contains("snkv_transactions_total{db=\"i.db\",source=\"import\"} 1.0");
        assertThat(r.metrics().scrape()).contains("snkv_transactions_total{db=\"i.db\",source=\"replicated\"}");
        assertThat(Files.list(dir.resolve("data1/tmp")).toList()).as("spool files left").isEmpty();

        // A database that did not exist: the import is its TXID 1, a snapshot, and replicas get it too.
        Reply created = send("POST", p.httpUrl() + "/import?name=fresh.db", imageBytes);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().get("txid").asText()).isEqualTo("0000000000000001");
        assertThat(dir.resolve("data1/dbs/fresh.db/ltx/0000000000000001-0000000000000001.ltx")).exists();
        awaitPosition(r, "fresh.db", p.position("fresh.db"));
        assertThat(send("GET", r.httpUrl() + "/export?name=fresh.db").body()).isEqualTo(imageBytes);
    }

    @Test
    void importRefusalsAre400NamingWhatIsWrongAndChangeNothing() throws Exception {
        Node p = start(primary(dir));
        write(dir.resolve("mnt1/b.db"), "k", 50, 50);
        LtxPosition before = p.position("b.db");
        byte[] good = Files.readAllBytes(image("good.db", "g", 200, 100, KVStoreConfig.defaults()));
        byte[] noMagic = good.clone();
        noMagic[0] = 'X';
        byte[] badPageSize = good.clone();
        badPageSize[16] = 0x03;
        badPageSize[17] = 0x00;
        byte[] corrupt = good.clone();
        corrupt[2 * 4096 + 3] = (byte) 0xff; // the default family's root page claims 65,000 cells
        corrupt[2 * 4096 + 4] = (byte) 0xf0;
        byte[] smallPages = Files.readAllBytes(image("small.db", "s", 5, 5, KVStoreConfig.builder().pageSize(1024).build()));
        Object[][] cases = {
                {"does not start with \"SQLite format 3\\0\"", noMagic},
                {"does not start with", new byte[0]},
                {"page size (header offset 16) is 768", badPageSize},
                {"bytes, not a multiple of its page size 4096", Arrays.copyOf(good, good.length - 512)},
                {"fails the integrity check", corrupt},
                {"page size is 1024 but the database's is 4096", smallPages}};
        for (Object[] c : cases) {
            Reply res = send("POST", p.httpUrl() + "/import?name=b.db", (byte[]) c[1]);
            assertJsonError(res, 400, p, (String) c[0]);
            assertThat(p.position("b.db")).as((String) c[0]).isEqualTo(before);
        }
        assertThat(contents(dir.resolve("mnt1/b.db"))).hasSize(50).containsKey("k49");
        // Refused for a name that does not exist: no database appears.
        assertJsonError(send("POST", p.httpUrl() + "/import?name=n.db", corrupt), 400, p, "fails the integrity check");
        assertThat(dir.resolve("mnt1/n.db")).doesNotExist();
        assertThat(dir.resolve("data1/dbs/n.db")).doesNotExist();
        assertThat(p.debugVars()).doesNotContain("n.db");
        assertThat(Files.list(dir.resolve("data1/tmp")).toList()).as("spool files left").isEmpty();
        assertThat(p.metrics().scrape()).doesNotContain("source=\"import\"} 1.0");
    }

    @Test
    void importOnAReplicaIs503NamingThePrimaryAndAnImageTooLargeIs413BeforeItIsRead() throws Exception {
        Node p = start(primary(dir));
        Node r = start(replica(dir, 1, p));
        byte[] image = Files.readAllBytes(image("img.db", "k", 10, 10, KVStoreConfig.defaults()));
        Reply res = send("POST", r.httpUrl() + "/import?name=x.db", image);
        assertThat(res.status()).isEqualTo(503);
        assertThat(res.header("Content-Type")).isEqualTo("application/json");
        assertThat(res.header("Snkv-Node-Id")).isEqualTo(r.nodeIdHex());
        assertThat(res.text()).isEqualTo("{\"error\":\"not primary\",\"primary\":\"host1\"}\n");
        assertThat(r.position("x.db")).isEqualTo(LtxPosition.ZERO);

        Reply tooLarge = NodeHttp.raw(p.httpUrl(), "POST /import?name=x.db HTTP/1.1\r\nHost: t\r\n"
                + "Content-Length: 9000000000000000000\r\nConnection: close\r\n\r\n");
        assertJsonError(tooLarge, 413, p, "the image is 9000000000000000000 bytes but ");
        assertThat(dir.resolve("mnt1/x.db")).doesNotExist();
    }

    // ---- /handoff, /promote ----

    @Test
    void handoffChecksTheIdThenTheRoleThenTheStreamThenTheLease() throws Exception {
        Node p = start(primary(dir));
        Node r = start(replica(dir, 1, p));
        awaitReady(r);
        for (String bad : new String[] {"", "?nodeID=", "?nodeID=xyz", "?nodeID=0123456789abcde",
                "?nodeID=0123456789abcdef0", "?nodeID=0000000000000000", "?nodeID=0123456789abcdeg"}) {
            assertJsonError(send("POST", p.httpUrl() + "/handoff" + bad), 400, p, "nodeID must be a node's ID, 16 hex digits");
            assertJsonError(send("POST", r.httpUrl() + "/handoff" + bad), 400, r, "nodeID must be a node's ID, 16 hex digits");
        }
        assertJsonError(send("POST", r.httpUrl() + "/handoff?nodeID=" + p.nodeIdHex()), 409, r, "not primary");
        assertJsonError(send("POST", p.httpUrl() + "/handoff?nodeID=0123456789ABCDEF"), 409, p,
                "no stream from node 0123456789ABCDEF is connected");
        assertJsonError(send("POST", p.httpUrl() + "/handoff?nodeID=" + p.nodeIdHex()), 409, p, "no stream from node");
        Reply res = send("POST", p.httpUrl() + "/handoff?nodeID=" + r.nodeIdHex().toLowerCase());
        assertJsonError(res, 409, p, "the static lease cannot be handed off");
        assertThat(res.text()).isEqualTo("{\"error\":\"the static lease cannot be handed off\"}\n");
        assertThat(p.isPrimary()).isTrue();
    }

    @Test
    void promoteIs409OffACandidate200OnThePrimary() throws Exception {
        Node p = start(primary(dir));
        Node r = start(replica(dir, 1, p));
        Reply onReplica = send("POST", r.httpUrl() + "/promote");
        assertJsonError(onReplica, 409, r, "not a candidate");
        Reply onPrimary = send("POST", p.httpUrl() + "/promote");
        assertThat(onPrimary.status()).isEqualTo(200);
        assertThat(onPrimary.header("Content-Type")).isEqualTo("application/json");
        assertThat(onPrimary.header("Snkv-Node-Id")).isEqualTo(p.nodeIdHex());
        assertThat(onPrimary.text()).isEqualTo("{\"primary\":true}\n");
    }

    @Test
    void promoteAnswersForStatesOnlyOtherLeasesReach() {
        // A candidate that is not primary exists only with Consul or etcd leases: the decision is checked directly.
        LeaseRequests.Answer none = LeaseRequests.promote(true, false, "", "consul");
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.body()).isEqualTo(Map.of("error", "no primary is known"));
        assertThat(LeaseRequests.promote(false, false, "", "static").status()).isEqualTo(409);
        assertThat(LeaseRequests.promote(true, true, "h", "static").body()).isEqualTo(Map.of("primary", true));
    }

    // ---- /local/notify, /halt, /tx ----

    @Test
    void localNotifyFromLoopbackIs204() throws Exception {
        Node p = start(primary(dir));
        Reply res = send("POST", p.httpUrl() + "/local/notify?name=a.db");
        assertThat(res.status()).isEqualTo(204);
        assertThat(res.body()).isEmpty();
        assertThat(res.header("Snkv-Node-Id")).isEqualTo(p.nodeIdHex());
    }

    @Test
    void localNotifyFromAnotherAddressIs403() throws Exception {
        InetAddress outside = null;
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : ni.inetAddresses().toList()) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        outside = a;
                    }
                }
            }
        }
        assumeTrue(outside != null, "no non-loopback IPv4 address on this machine");
        NodeSettings s = primary(dir);
        Node p = start(new NodeSettings(s.servedDir(), s.dataDir(), outside.getHostAddress(), 0, s.hostname(), null,
                true, null, null, s.retention(), s.reconnectDelay(), List.of()));
        // A connection to a non-loopback address comes from that address, not from loopback.
        assertJsonError(send("POST", p.httpUrl() + "/local/notify?name=a.db"), 403, p, "only accepts loopback requests");
    }

    @Test
    void haltAndTxAre501() throws Exception {
        Node p = start(primary(dir));
        for (String[] c : new String[][] {{"POST", "/halt?name=a.db&id=1"}, {"DELETE", "/halt"}, {"POST", "/tx?name=a.db&lockID=1"}}) {
            Reply res = send(c[0], p.httpUrl() + c[1]);
            assertJsonError(res, 501, p, "is not implemented yet (write forwarding is a later phase)");
        }
    }
}
