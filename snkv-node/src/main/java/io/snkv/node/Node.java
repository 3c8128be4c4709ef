package io.snkv.node;

import io.snkv.node.stream.DatabaseName;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkv.LtxPosition;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replication node (REPLICATION.md): serves a directory of databases, keeps their change logs, and with a
 * static lease is either the primary (streams every commit to replicas over {@code POST /stream}) or a replica
 * (follows the primary, applying each file as one transaction). Start with {@link #start}, stop with
 * {@link #close}. Thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeSettings settings;
    private final long nodeId;
    private final Map<String, ReplicatedDatabase> databases = new ConcurrentHashMap<>();
    private final List<ChangeSet> subscribers = new CopyOnWriteArrayList<>();
    private final NodeEvents events = new NodeEvents();
    private final NodeMetrics metrics = new NodeMetrics(this);
    /** The last position announced per database (primary), so each commit is one tx event. */
    private final Map<String, LtxPosition> announced = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, LtxPosition>> appliedListeners = new CopyOnWriteArrayList<>();
    /** Databases whose import is being committed: {@link #importDatabase} announces that commit itself. */
    private final Set<String> importing = ConcurrentHashMap.newKeySet();
    private final Object importLock = new Object();
    private final StreamServer streams;
    private final Set<String> toAnnounce = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ExecutorService announcer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "snkv-node-announce");
        t.setDaemon(true);
        return t;
    });
    /** Full-checksum checks, one at a time, off the commit and apply paths: strict-verify's and a replica's first. */
    private final java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "snkv-node-background");
        t.setDaemon(true);
        return t;
    });
    private final Server http;
    private final Thread watcher;
    private volatile NodeDescriptor descriptor;
    private volatile StreamClient client;
    private volatile boolean closed;

    private Node(NodeSettings settings) {
        this.settings = settings;
        this.nodeId = new SecureRandom().nextLong() | 1L; // random, non-zero, per start (litefs #361)
        this.streams = new StreamServer(this);
        this.http = new Server();
        this.watcher = new Thread(this::watchPositions, "snkv-node-watcher");
        this.watcher.setDaemon(true);
    }

    /** Starts a node: directories, descriptor, HTTP server, and the primary's watcher or the replica's stream. */
    public static Node start(NodeSettings settings) throws IOException {
        Node n = new Node(settings);
        try {
            n.startUp();
            return n;
        } catch (Exception e) {
            n.close();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start the node: " + e.getMessage(), e);
        }
    }

    private void startUp() throws Exception {
        Files.createDirectories(settings.servedDir());
        Files.createDirectories(settings.dataDir().resolve("dbs"));
        Path tmp = settings.dataDir().resolve("tmp");
        Files.createDirectories(tmp);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                TreeDeletion.delete(p); // spools, and a warm-up directory, of an earlier run that was killed
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(settings.dataDir().resolve("dbs"))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (DatabaseName.isValid(name)) {
                    // Opening the node's store finishes an unfinished commit and checks the database against its
                    // log (REPLICATION.md 5.3): a database changed behind the log gets a new position, which
                    // makes a replica's primary send a snapshot.
                    ReplicatedDatabase d = database(name);
                    if (d.exists()) {
                        d.store(4096);
                    }
                    announced.put(name, d.position()); // events are for commits from now on
                }
            }
        }
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(http, new HttpConnectionFactory(config));
        if (settings.httpHost() != null && !settings.httpHost().isEmpty()) {
            connector.setHost(settings.httpHost());
        }
        connector.setPort(settings.httpPort());
        // REPLICATION.md 6: keep-alive 30 s (Jetty's idle timeout: no byte either way for that long, also while
        // a request runs, so /stream and /events send something every second), headers within 10 s.
        connector.setIdleTimeout(30_000);
        HeaderDeadline headerDeadline = new HeaderDeadline(connector.getScheduler(), 10_000);
        connector.addEventListener(headerDeadline);
        http.addConnector(connector);
        http.setErrorHandler(new JsonErrorHandler(this::nodeIdHex));
        http.setHandler(new NodeHttpApi(this, streams, headerDeadline));
        http.setStopTimeout(2_000);
        try {
            http.start();
        } catch (IOException e) {
            throw new IOException("cannot listen on " + settings.httpHost() + ":" + settings.httpPort() + ": " + e.getMessage(), e);
        }
        LocalNodes.register(settings.dataDir(), this::changed);
        long pid = ProcessHandle.current().pid();
        if (settings.primary()) {
            descriptor = new NodeDescriptor(1, nodeIdHex(), pid, settings.dataDir().toAbsolutePath().toString(), httpUrl(),
                    "primary", settings.hostname(), settings.advertiseUrl(), NodeDescriptor.STATIC_LEASE_UNTIL,
                    settings.retention().toMillis());
            descriptor.writeTo(settings.servedDir());
            Files.deleteIfExists(settings.servedDir().resolve(".primary"));
            watcher.start();
        } else {
            descriptor = new NodeDescriptor(1, nodeIdHex(), pid, settings.dataDir().toAbsolutePath().toString(), httpUrl(),
                    "replica", settings.primaryHostname(), settings.primaryUrl(), 0, settings.retention().toMillis());
            descriptor.writeTo(settings.servedDir());
            Files.writeString(settings.servedDir().resolve(".primary"), settings.primaryHostname() + "\n");
            // Not ready before the apply path is compiled: see ApplyWarmUp.
            ApplyWarmUp.run(settings.dataDir().resolve("tmp"), 40, 2_000);
            client = new StreamClient(this, settings.primaryUrl(), settings.reconnectDelay());
            client.start();
        }
        LOG.info("node {} started as {} on {}, serving {}", nodeIdHex(), descriptor.role(), httpUrl(), settings.servedDir());
    }

    /** The URL this node's HTTP server answers on (the actual port when 0 was asked). */
    public String httpUrl() {
        ServerConnector c = (ServerConnector) http.getConnectors()[0];
        String host = settings.httpHost() == null || settings.httpHost().isEmpty() ? "127.0.0.1" : settings.httpHost();
        return "http://" + host + ":" + c.getLocalPort();
    }

    public boolean isPrimary() {
        return settings.primary();
    }

    public String nodeIdHex() {
        return String.format("%016X", nodeId);
    }

    NodeSettings settings() {
        return settings;
    }

    /** The database called {@code name}, created on first use. */
    ReplicatedDatabase database(String name) {
        return databases.computeIfAbsent(name, n -> new ReplicatedDatabase(n, settings.servedDir(), settings.dataDir(),
                settings.retention(), settings.retentionInterval()));
    }

    /**
     * The database called {@code name} (a valid name) if its file exists in the served directory. Unlike
     * {@link #database}, a name that does not exist stays unknown (it does not appear in /debug/vars or /metrics).
     */
    Optional<ReplicatedDatabase> existingDatabase(String name) {
        ReplicatedDatabase known = databases.get(name);
        if (known != null || Files.exists(settings.servedDir().resolve(name))) {
            ReplicatedDatabase d = known != null ? known : database(name);
            return d.exists() ? Optional.of(d) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Commits a database image as {@code name}'s next transaction (REPLICATION.md 6, {@code /import}), counted and
     * announced as source {@code import}. One import at a time: each holds its image's pages in memory.
     *
     * @throws io.snkv.InvalidImageException when the engine refuses the image; nothing changed
     */
    LtxPosition importDatabase(String name, Path image) {
        synchronized (importLock) {
            importing.add(name); // its commit is announced here, not by the position watcher as a local one
            ReplicatedDatabase d = database(name);
            try {
                LtxPosition p = d.importImage(image);
                synchronized (announced) {
                    announced.put(name, p);
                }
                LtxFileFacts facts = d.logFileFactsEndingAt(p.txid());
                events.tx(name, p, facts, System.currentTimeMillis());
                metrics.transaction(name, "import", p);
                LOG.info("imported {} as {} at {}", image.getFileName(), name, p);
                return p;
            } catch (RuntimeException e) {
                if (!d.exists() && databases.remove(name, d)) {
                    d.close(); // a refused image for a new name leaves no database behind
                }
                throw e;
            } finally {
                importing.remove(name);
                if (databases.get(name) == d) {
                    changed(name); // streams send it; a commit that followed at once is announced as local
                }
            }
        }
    }

    /** The spool directory for snapshots and imports (emptied at startup). */
    Path tmpDir() {
        return settings.dataDir().resolve("tmp");
    }

    /** Whether this node may hold the lease; with a static lease only the configured primary is a candidate. */
    boolean isCandidate() {
        return isPrimary();
    }

    /** The lease this node follows (only the static lease is built so far). */
    String leaseType() {
        return "static";
    }

    /** Whether the replica with ID {@code nodeIdHex} (16 upper-case hex digits) has a stream open to this node. */
    boolean hasStreamFrom(String nodeIdHex) {
        return isPrimary() && streams.hasStreamFrom(nodeIdHex);
    }

    /** Every database this node knows, by name. */
    SortedMap<String, ReplicatedDatabase> databases() {
        return new TreeMap<>(databases);
    }

    /** A commit (or a new database) on the primary: every stream's change set gets the name. */
    void changed(String name) {
        if (!DatabaseName.isValid(name)) {
            return;
        }
        for (ChangeSet s : subscribers) {
            s.mark(name); // streams wake at once
        }
        // Events and counts read the log, which the committer (an application's thread, when the node runs in its
        // JVM) should not wait for: one pending announcement per database, on the node's own thread.
        if (toAnnounce.add(name)) {
            try {
                announcer.execute(() -> {
                    toAnnounce.remove(name);
                    announce(name);
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                toAnnounce.remove(name);
            }
        }
    }

    /**
     * One tx event and one count per commit since the last announced position, read from the log: notices
     * coalesce (a commit's notice may arrive after the next commit), events do not.
     */
    private void announce(String name) {
        synchronized (announced) {
            ReplicatedDatabase d = database(name);
            LtxPosition p = d.position();
            LtxPosition last = announced.get(name);
            if (p.txid() == 0 || p.equals(last) || importing.contains(name)) {
                return; // an import announces its own commit (importDatabase)
            }
            announced.put(name, p);
            // A database that appeared since the start is announced from its first commit (see startUp).
            long from = last == null ? 1 : Long.compareUnsigned(last.txid(), p.txid()) >= 0 ? p.txid() : last.txid() + 1;
            from = Math.max(from, p.txid() - NodeEvents.QUEUE + 1); // a subscriber could not take more
            for (long t = from; t <= p.txid(); t++) {
                LtxFileFacts facts = d.logFileFactsEndingAt(t);
                if (facts == null && t < p.txid()) {
                    continue; // removed by retention already
                }
                LtxPosition at = facts != null ? facts.after() : p;
                events.tx(name, at, facts, facts != null ? facts.header().timestamp() : System.currentTimeMillis());
                metrics.transaction(name, "local", at);
            }
        }
        if (settings.strictVerify()) {
            background.submit(() -> verifyQuietly(name));
        }
    }

    /**
     * Checks every database against its position in the background (REPLICATION.md 5.3 SHOULD: once ready, not
     * before), one at a time; {@code mismatch} hears of each that fails.
     */
    void verifyInBackground(java.util.function.Consumer<String> mismatch) {
        background.submit(() -> {
            for (ReplicatedDatabase d : databases().values()) {
                if (closed) {
                    return;
                }
                try {
                    if (!d.verify()) {
                        mismatch.accept(d.name());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.debug("background check of {} failed: {}", d.name(), e.toString());
                }
            }
        });
    }

    /** strict-verify on the primary: the database against its position after each commit notice, off the notice's thread. */
    private void verifyQuietly(String name) {
        try {
            if (!database(name).verify()) {
                LOG.error("strict-verify: {} does not match its position {} (a change that bypassed the log, or damage)",
                        name, database(name).position());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("strict-verify of {} failed: {}", name, e.toString());
        }
    }

    /** A replica applied a file: one tx event, and each {@link #onApplied} listener is told. */
    void applied(String name, LtxFileFacts facts) {
        LtxPosition p = facts.after();
        for (BiConsumer<String, LtxPosition> listener : appliedListeners) {
            try {
                listener.accept(name, p);
            } catch (RuntimeException e) {
                LOG.warn("an applied-file listener failed on {} at {}: {}", name, p, e.toString());
            }
        }
        events.tx(name, p, facts, facts.header().timestamp());
        metrics.transaction(name, "replicated", p);
    }

    /**
     * On a replica, calls {@code listener} with the database name and its new position each time a file from the
     * primary (LTX or snapshot) has been applied, once {@link #position} shows it or a later position (a replica
     * that is behind applies the files waiting for it in one transaction, then reports each in order). It runs
     * on the stream's thread before the next file is read, so it must be quick; an exception it throws is logged
     * and ignored. Listeners stay registered until the node closes; a primary never calls them. For measurements
     * (snkv-bench timestamps each apply) and tests; applications watch {@code GET /events}.
     */
    public void onApplied(BiConsumer<String, LtxPosition> listener) {
        appliedListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    NodeMetrics metrics() {
        return metrics;
    }

    Map<String, Long> replicaLagTransactions() {
        return isPrimary() ? streams.lagTransactions() : Map.of();
    }

    int replicaCount() {
        return isPrimary() ? streams.replicaVars().size() : 0;
    }

    /** Replica lag in seconds (null until ready); 0 on the primary. */
    Double lagSeconds() {
        return isPrimary() ? Double.valueOf(0) : (client == null ? null : client.lagSeconds());
    }

    NodeEvents events() {
        return events;
    }

    String primaryHostnameOrEmpty() {
        return nullToEmpty(primaryHostname());
    }

    ChangeSet subscribe() {
        ChangeSet s = new ChangeSet();
        subscribers.add(s);
        if (closed) {
            s.close();
        }
        return s;
    }

    void unsubscribe(ChangeSet s) {
        subscribers.remove(s);
    }

    /**
     * Commits the node was not told about (a lost notice, an application without the hook's HTTP reach): the
     * positions are checked every second, as REPLICATION.md 4.2 step 7 requires; new databases appear too.
     */
    private void watchPositions() {
        Map<String, LtxPosition> seen = new TreeMap<>();
        while (!closed) {
            try {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(settings.dataDir().resolve("dbs"))) {
                    for (Path p : ds) {
                        String name = p.getFileName().toString();
                        if (!DatabaseName.isValid(name)) {
                            continue;
                        }
                        LtxPosition now = database(name).position();
                        if (!now.equals(seen.put(name, now))) {
                            changed(name);
                        }
                    }
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("position scan failed: {}", e.toString());
            }
        }
    }

    /** {@code /info} (REPLICATION.md 6). */
    String info() throws IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("nodeID", nodeIdHex());
        m.put("isPrimary", isPrimary());
        m.put("candidate", isCandidate());
        m.put("ready", isReady());
        m.put("path", settings.dataDir().toAbsolutePath().toString());
        m.put("primary", Map.of("hostname", nullToEmpty(primaryHostname()), "advertiseURL", nullToEmpty(primaryUrl())));
        return JSON.writeValueAsString(m) + "\n";
    }

    public boolean isReady() {
        return isPrimary() || (client != null && client.isReady());
    }

    private String primaryHostname() {
        return isPrimary() ? settings.hostname() : settings.primaryHostname();
    }

    private String primaryUrl() {
        return isPrimary() ? settings.advertiseUrl() : settings.primaryUrl();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * {@code /debug/vars}: one member per line and one line per replica, so that
     * {@code grep -E "(isPrimary|replica)"} shows the role and each replica (REPLICATION.md 6).
     */
    String debugVars() throws IOException {
        StringBuilder b = new StringBuilder("{\n  \"store\": {\n");
        line(b, "nodeID", nodeIdHex());
        line(b, "isPrimary", isPrimary());
        line(b, "candidate", isCandidate());
        line(b, "ready", isReady());
        line(b, "lease", Map.of("type", leaseType(), "state", isPrimary() ? "primary" : "replica",
                "expiresAt", Instant.ofEpochMilli(isPrimary() ? NodeDescriptor.STATIC_LEASE_UNTIL : 0).toString()));
        line(b, "primary", Map.of("hostname", nullToEmpty(primaryHostname()), "advertiseURL", nullToEmpty(primaryUrl())));
        Double lag = isPrimary() ? Double.valueOf(0) : (client == null ? null : client.lagSeconds());
        line(b, "lagSeconds", lag);
        Map<String, Object> dbs = new TreeMap<>();
        for (ReplicatedDatabase d : databases().values()) {
            LtxPosition p = d.position();
            long[] files = d.logFilesAndBytes();
            Map<String, Object> v = new java.util.LinkedHashMap<>();
            v.put("name", d.name());
            v.put("txid", String.format("%016x", p.txid()));
            v.put("checksum", String.format("%016x", p.checksum()));
            LtxFileFacts newest = p.txid() == 0 ? null : d.logFileFactsEndingAt(p.txid());
            if (newest != null) {
                v.put("pageSize", newest.header().pageSize());
                v.put("commit", newest.header().commit());
            }
            v.put("ltxFiles", files[0]);
            v.put("invalid", d.isInvalid());
            dbs.put(d.name(), v);
        }
        line(b, "dbs", dbs);
        List<Map<String, Object>> replicas = isPrimary() ? streams.replicaVars() : List.of();
        line(b, "replicaCount", replicas.size());
        b.append("    \"replicas\": [");
        for (int i = 0; i < replicas.size(); i++) {
            b.append(i == 0 ? "\n      " : ",\n      ").append(JSON.writeValueAsString(replicas.get(i)));
        }
        b.append(replicas.isEmpty() ? "],\n" : "\n    ],\n");
        b.append("    \"replication\": ").append(isPrimary() || client == null ? "null" : JSON.writeValueAsString(client.vars()));
        b.append("\n  }\n}\n");
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) throws IOException {
        b.append("    ").append(JSON.writeValueAsString(key)).append(": ").append(JSON.writeValueAsString(value)).append(",\n");
    }

    /** Positions of every database, for the stream's position map and heartbeats. */
    SortedMap<String, LtxPosition> positions() {
        SortedMap<String, LtxPosition> m = new TreeMap<>();
        for (ReplicatedDatabase d : databases().values()) {
            m.put(d.name(), d.position());
        }
        return m;
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops cleanly: streams get END, the replica's client stops, the descriptor says {@code none}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ChangeSet s : subscribers) {
            s.close();
        }
        if (client != null) {
            client.close();
        }
        watcher.interrupt();
        background.shutdownNow();
        announcer.shutdownNow();
        try {
            if (descriptor != null) {
                descriptor.withRole("none", descriptor.primaryHostname(), descriptor.primaryUrl(), 0).writeTo(settings.servedDir());
            }
        } catch (IOException e) {
            LOG.warn("could not mark the node descriptor stopped: {}", e.toString());
        }
        // Every commit that began while we were primary has ended once each write lock has been ours once.
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
        LocalNodes.unregister(settings.dataDir());
        for (ReplicatedDatabase d : databases.values()) {
            d.close();
        }
    }

    /**
     * Opens the database {@code name} of this node's served directory, as any application would (it joins the node
     * through {@code .snkv-node}): on the primary its commits are captured and streamed, on a replica it is
     * readable and writes fail with {@link io.snkv.ReadOnlyException} naming the primary.
     */
    public io.snkv.KVStore open(String name, io.snkv.KVStoreConfig config) {
        if (!DatabaseName.isValid(name)) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
        return io.snkv.KVStore.open(settings.servedDir().resolve(name), config);
    }

    /** {@link #open(String, io.snkv.KVStoreConfig)} with the default configuration. */
    public io.snkv.KVStore open(String name) {
        return open(name, io.snkv.KVStoreConfig.builder().build());
    }

    /** For tests and the demo: the replica's applied position of {@code name}. */
    public LtxPosition position(String name) {
        return database(name).position();
    }

    /** Remembered so log lines and tests can print it. */
    @Override
    public String toString() {
        return "node " + nodeIdHex() + " (" + (isPrimary() ? "primary" : "replica") + ", " + httpUrl() + ")";
    }
}
