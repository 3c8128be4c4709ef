package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVException;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node processes ({@code snkv mount}) killed with SIGKILL while an application keeps committing to the
 * primary's directory: first the replica (mid-stream), then the primary (mid-commit). After both restart, the
 * replica must reach the primary's position and hold exactly its entries. Seed printed; rerun with
 * {@code -Dsnkv.seed=<seed>}.
 */
@Tag("slow")
class NodeProcessKillTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());
    private static final Pattern TXID = Pattern.compile("\"k\\.db\":\\{\"name\":\"k\\.db\",\"txid\":\"([0-9a-f]{16})\",\"checksum\":\"([0-9a-f]{16})\"");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process mount(String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "mount", "-config",
                name + ".yml"));
        return new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                .redirectErrorStream(true).start();
    }

    private String vars(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/debug/vars")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private void awaitUp(int port, String name) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!vars(port).contains("\"ready\": true")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " node on " + port + " not ready after 60 s; its log:\n"
                        + Files.readString(dir.resolve(name + ".log")) + "\n" + vars(port));
            }
            Thread.sleep(20);
        }
    }

    private String position(int port) {
        Matcher m = TXID.matcher(vars(port));
        return m.find() ? m.group(1) + "/" + m.group(2) : "none";
    }

    @Test
    void killedNodesRestartAndTheReplicaConverges() throws Exception {
        System.out.println("[NodeProcessKillTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        int p1 = freePort();
        int p2 = freePort();
        Files.writeString(dir.resolve("primary.yml"), "fuse:\n  dir: ./mnt1\ndata:\n  dir: ./data1\nhttp:\n  addr: \"127.0.0.1:" + p1
                + "\"\nlease:\n  type: static\n  candidate: true\n  advertise-url: \"http://127.0.0.1:" + p1 + "\"\n");
        Files.writeString(dir.resolve("replica.yml"), "fuse:\n  dir: ./mnt2\ndata:\n  dir: ./data2\nhttp:\n  addr: \"127.0.0.1:" + p2
                + "\"\nlease:\n  type: static\n  candidate: false\n  hostname: host1\n  advertise-url: \"http://127.0.0.1:"
                + p1 + "\"\n  reconnect-delay: 100ms\n");
        Process primary = mount("primary");
        Process replica = mount("replica");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Thread writer = null;
        try {
            awaitUp(p1, "primary");
            awaitUp(p2, "replica");
            writer = new Thread(() -> {
                Random w = new Random(SEED + 1);
                while (!stop.get()) {
                    try (KVStore s = KVStore.open(dir.resolve("mnt1/k.db"))) {
                        while (!stop.get()) {
                            byte[] v = new byte[w.nextInt(5000)];
                            w.nextBytes(v);
                            s.put(("key" + w.nextInt(300)).getBytes(), v);
                            commits.incrementAndGet();
                            Thread.sleep(5); // a steady application, not a storm a replica applying file by file trails

                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (KVException e) {
                        refused.incrementAndGet(); // the primary is down: its store refuses writes until it is back
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "application-writer");
            writer.start();
            Thread.sleep(300 + rnd.nextInt(700));
            replica.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(200 + rnd.nextInt(500));
            replica = mount("replica");
            awaitUp(p2, "replica");
            Thread.sleep(300 + rnd.nextInt(700));
            primary.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(200 + rnd.nextInt(500));
            primary = mount("primary");
            awaitUp(p1, "primary");
            Thread.sleep(300 + rnd.nextInt(700));
            stop.set(true);
            writer.join(30_000);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!position(p2).equals(position(p1))) {
                assertThat(System.nanoTime()).as("replica at " + position(p2) + ", primary at " + position(p1)).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(commits.get()).as("commits made").isGreaterThan(10);
            assertThat(refused.get()).as("writes refused while the primary was down").isGreaterThan(0);
        } finally {
            stop.set(true);
            if (writer != null) {
                writer.join(30_000);
            }
            primary.destroy();
            replica.destroy();
            primary.waitFor(20, TimeUnit.SECONDS);
            replica.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(contents(dir.resolve("mnt2/k.db"))).isEqualTo(contents(dir.resolve("mnt1/k.db")));
    }

    private static TreeMap<String, Integer> contents(Path db) {
        TreeMap<String, Integer> m = new TreeMap<>();
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build()); KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key()), java.util.Arrays.hashCode(it.value()));
            }
        }
        return m;
    }
}
