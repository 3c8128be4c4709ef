package io.snkv.bench;

import io.snkv.node.Node;
import io.snkv.node.NodeSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary and {@code n} replicas in this JVM, with static leases on 127.0.0.1 and ports chosen by the system, in a
 * fresh temporary directory ({@code mnt1}/{@code data1} for the primary, {@code mnt2}/{@code data2}... for the
 * replicas, as the seed demo names them). Applications open databases in {@link #primaryFile} with plain
 * {@code KVStore.open}: the {@code .snkv-node} descriptor there joins them to the primary. Each replica has an
 * {@link ApplyTimes} registered before it connects. {@link #close} stops the replicas, then the primary, and deletes
 * the directory. Not thread-safe.
 */
final class LocalCluster implements AutoCloseable {

    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration RECONNECT_DELAY = Duration.ofMillis(100);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final TemporaryDirectory directory;
    private Node primary;
    private final List<Node> replicas = new ArrayList<>();
    private final List<ApplyTimes> applyTimes = new ArrayList<>();

    private LocalCluster(TemporaryDirectory directory) {
        this.directory = directory;
    }

    /** Starts the nodes and returns once every replica has caught up with the primary (READY). */
    static LocalCluster start(Path parent, int replicaCount) throws IOException, InterruptedException {
        LocalCluster c = new LocalCluster(new TemporaryDirectory(parent, "snkv-repl-"));
        try {
            Path root = c.directory.path();
            c.primary = Node.start(new NodeSettings(root.resolve("mnt1"), root.resolve("data1"), "127.0.0.1", 0,
                    "host1", null, true, null, null, RETENTION, RECONNECT_DELAY, List.of()));
            for (int i = 0; i < replicaCount; i++) {
                int n = i + 2;
                ApplyTimes times = new ApplyTimes();
                // The cluster holds no database yet, so no file can arrive before the listener is registered.
                Node replica = Node.start(new NodeSettings(root.resolve("mnt" + n), root.resolve("data" + n),
                        "127.0.0.1", 0, "host" + n, null, false, "host1", c.primary.httpUrl(), RETENTION,
                        RECONNECT_DELAY, List.of()));
                replica.onApplied(times);
                c.replicas.add(replica);
                c.applyTimes.add(times);
            }
            c.awaitReady();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Node r : replicas) {
            while (!r.isReady()) { // setup, untimed: a coarse poll is fine
                if (System.nanoTime() > deadline) {
                    throw new IOException(r + " did not connect to " + primary + " within " + READY_TIMEOUT);
                }
                Thread.sleep(10);
            }
        }
    }

    Node primary() {
        return primary;
    }

    List<Node> replicas() {
        return List.copyOf(replicas);
    }

    /** When replica {@code i} (0-based) applied each TXID. */
    ApplyTimes applyTimes(int i) {
        return applyTimes.get(i);
    }

    /** Where an application opens {@code database} to write through the primary. */
    Path primaryFile(String database) {
        return directory.path().resolve("mnt1").resolve(database);
    }

    /** Replica {@code i}'s (0-based) copy of {@code database}. */
    Path replicaFile(int i, String database) {
        return directory.path().resolve("mnt" + (i + 2)).resolve(database);
    }

    @Override
    public void close() throws IOException {
        for (Node r : replicas) {
            r.close();
        }
        if (primary != null) {
            primary.close();
        }
        directory.close();
    }
}
