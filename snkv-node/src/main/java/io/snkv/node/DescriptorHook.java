package io.snkv.node;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.ReadOnlyException;
import io.snkv.spi.NodeAttachment;
import io.snkv.spi.ReplicationHook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@link ReplicationHook} snkv-node registers with {@link java.util.ServiceLoader}: a store opened in a
 * served directory reads the node descriptor to find the node's data directory, asks it before every commit
 * whether this process may write, and tells the node about each commit (in-process when the node runs in
 * this JVM, else {@code POST /local/notify}). Thread-safe.
 */
public final class DescriptorHook implements ReplicationHook {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Notices still on their way: a process that exits right after its last commit sends them first. */
    private static final java.util.Set<java.util.concurrent.CompletableFuture<?>> PENDING =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.util.concurrent.CompletableFuture.allOf(PENDING.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                        .get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // the node's position scan notices the commit within a second anyway
            }
        }, "snkv-node-notices"));
    }

    @Override
    public NodeAttachment attach(Path database, Path descriptor) {
        NodeDescriptor d;
        try {
            d = NodeDescriptor.read(descriptor);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "cannot read the node descriptor " + descriptor + ": " + e.getMessage(), e);
        }
        return new Attachment(database.getFileName().toString(), descriptor, d);
    }

    /** One store's view of its node; re-reads the descriptor when the file changes. */
    private static final class Attachment implements NodeAttachment {
        private final String name;
        private final Path descriptor;
        private NodeDescriptor current;
        private long seenModified;

        Attachment(String name, Path descriptor, NodeDescriptor d) {
            this.name = name;
            this.descriptor = descriptor;
            this.current = d;
        }

        @Override
        public Path dataDir() {
            return Path.of(current.dataDir());
        }

        @Override
        public java.util.Optional<Duration> retention() {
            long ms = current.retentionMillis();
            return ms > 0 ? java.util.Optional.of(Duration.ofMillis(ms)) : java.util.Optional.empty();
        }

        @Override
        public int autoCheckpointCommits() {
            return ReplicatedDatabase.AUTO_CHECKPOINT_COMMITS;
        }

        @Override
        public long nodeId() {
            try {
                return Long.parseUnsignedLong(current.nodeId(), 16);
            } catch (RuntimeException e) {
                return 0;
            }
        }

        private synchronized NodeDescriptor fresh() {
            try {
                long m = Files.getLastModifiedTime(descriptor).toMillis() ^ Files.size(descriptor);
                if (m != seenModified) {
                    current = NodeDescriptor.read(descriptor);
                    seenModified = m;
                }
            } catch (IOException e) {
                throw new ReadOnlyException("read-only: the node descriptor " + descriptor + " cannot be read ("
                        + e.getMessage() + ")");
            }
            return current;
        }

        @Override
        public void checkWritable() {
            String why = fresh().refusal(System.currentTimeMillis());
            if (why != null) {
                throw new ReadOnlyException(why);
            }
        }

        @Override
        public void committed(LtxPosition position) {
            NodeDescriptor d = current;
            if (d.pid() == ProcessHandle.current().pid()) {
                LocalNodes.notifyCommit(d.dataDir(), name);
                return;
            }
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(d.httpUrl() + "/local/notify?name=" + name))
                        .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.noBody()).build();
                java.util.concurrent.CompletableFuture<?> f = HTTP.sendAsync(req, HttpResponse.BodyHandlers.discarding());
                PENDING.add(f);
                f.whenComplete((r, e) -> PENDING.remove(f));
            } catch (RuntimeException e) {
                // The node also notices commits by watching positions; a lost notice only delays it.
            }
        }
    }
}
