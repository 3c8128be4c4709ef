package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVException;
import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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
        MountedNode primary = MountedNode.start(dir, "primary", dir.resolve("mnt1"));
        MountedNode replica = MountedNode.start(dir, "replica", dir.resolve("mnt2"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Thread writer = null;
        try {
            primary.awaitReady(60);
            replica.awaitReady(60);
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
            replica.kill();
            Thread.sleep(200 + rnd.nextInt(500));
            replica = MountedNode.start(dir, "replica", dir.resolve("mnt2")).awaitReady(60);
            Thread.sleep(300 + rnd.nextInt(700));
            primary.kill();
            Thread.sleep(200 + rnd.nextInt(500));
            primary = MountedNode.start(dir, "primary", dir.resolve("mnt1")).awaitReady(60);
            Thread.sleep(300 + rnd.nextInt(700));
            stop.set(true);
            writer.join(30_000);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!replica.position("k.db").equals(primary.position("k.db"))) {
                assertThat(System.nanoTime()).as("replica at " + replica.position("k.db") + ", primary at "
                        + primary.position("k.db")).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(commits.get()).as("commits made").isGreaterThan(10);
            assertThat(refused.get()).as("writes refused while the primary was down").isGreaterThan(0);
        } finally {
            stop.set(true);
            if (writer != null) {
                writer.join(30_000);
            }
            primary.stop();
            replica.stop();
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
