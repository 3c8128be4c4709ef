package io.snkv.node;

import io.snkv.LtxPosition;
import io.snkv.node.stream.FrameWriter;
import io.snkv.node.stream.PositionMap;
import io.snkv.node.stream.StreamProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of {@code POST /stream} (REPLICATION.md 2.3): per replica, catch up every database by
 * LTX files from the replica's position or by a snapshot, send READY, then follow the node's change set,
 * sending each new file as soon as a commit is announced and a HEARTBEAT after a quiet second. Each stream
 * holds one file open at a time and a bounded copy buffer; a slow replica slows only its own stream.
 */
final class StreamServer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamServer.class);

    private final Node node;
    private final Map<Object, ReplicaStream> live = new ConcurrentHashMap<>();

    StreamServer(Node node) {
        this.node = node;
    }

    /** What /debug/vars shows per connected replica. */
    List<Map<String, Object>> replicaVars() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReplicaStream r : live.values()) {
            out.add(r.vars());
        }
        out.sort((a, b) -> String.valueOf(a.get("replicaNodeID")).compareTo(String.valueOf(b.get("replicaNodeID"))));
        return out;
    }

    /** Per database, the most TXIDs any connected replica has not been sent yet. */
    Map<String, Long> lagTransactions() {
        Map<String, Long> out = new TreeMap<>();
        for (ReplicaStream r : live.values()) {
            for (Map.Entry<String, LtxPosition> e : r.sent.entrySet()) {
                long lag = Math.max(0, node.database(e.getKey()).position().txid() - e.getValue().txid());
                out.merge(e.getKey(), lag, Math::max);
            }
        }
        return out;
    }

    /** A stream whose writes make no progress this long is closed (REPLICATION.md 2.4); other requests idle out at 30 s. */
    static final long WRITE_STALL_MS = 60_000;

    /** Whether a replica whose ID is {@code nodeId} (16 upper-case hex digits) has a stream open now. */
    boolean hasStreamFrom(String nodeId) {
        for (ReplicaStream r : live.values()) {
            if (r.replicaId.equals(nodeId)) {
                return true;
            }
        }
        return false;
    }

    void handle(Request request, Response response, Callback callback) {
        request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(WRITE_STALL_MS);
        if (!node.isPrimary()) {
            NodeHttpApi.error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "not primary");
            return;
        }
        String replicaId = request.getHeaders().get("Snkv-Node-Id");
        if (replicaId == null || !replicaId.matches("[0-9A-F]{16}")) {
            NodeHttpApi.error(response, callback, 400, "Snkv-Node-Id must be 16 upper-case hex digits, got " + replicaId);
            return;
        }
        if (replicaId.equals(node.nodeIdHex())) {
            NodeHttpApi.error(response, callback, 400, "Snkv-Node-Id is this node's own ID");
            return;
        }
        if (!"1".equals(request.getHeaders().get("Snkv-Stream-Version"))) {
            NodeHttpApi.error(response, callback, 400, "Snkv-Stream-Version must be 1, got "
                    + request.getHeaders().get("Snkv-Stream-Version"));
            return;
        }
        SortedMap<String, LtxPosition> positions;
        try (InputStream body = Content.Source.asInputStream(request)) {
            positions = PositionMap.read(body, PositionMap.MAX_BYTES);
        } catch (StreamProtocolException e) {
            NodeHttpApi.error(response, callback, 400, "bad position map: " + e.getMessage());
            return;
        } catch (IOException e) {
            NodeHttpApi.error(response, callback, 400, "could not read the position map: " + e.getMessage());
            return;
        }
        Set<String> filter = new HashSet<>();
        Fields q = Request.extractQueryParameters(request);
        String f = q.getValue("filter");
        if (f != null && !f.isEmpty()) {
            for (String name : f.split(",")) {
                filter.add(name.trim());
            }
        }
        ChangeSet changes = node.subscribe(); // before reading any position: nothing committed later is missed
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/vnd.snkv.stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String remote = String.valueOf(request.getConnectionMetaData().getRemoteSocketAddress()).replaceFirst("^/", "");
        ReplicaStream stream = new ReplicaStream(replicaId, remote, positions, filter);
        Object key = new Object();
        live.put(key, stream);
        OutputStream out = Content.Sink.asOutputStream(response);
        try (FrameWriter w = new FrameWriter(out)) {
            stream.run(w, changes);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            LOG.info("stream to replica {} ({}) ended: {}", replicaId, remote, e.toString());
            node.metrics().streamErrors.labelValues("primary", e.getClass().getSimpleName()).inc();
            callback.failed(e);
        } finally {
            node.unsubscribe(changes);
            live.remove(key);
        }
    }

    /** One replica's stream: what it has been sent, per database. */
    private final class ReplicaStream {
        private final String replicaId;
        private final String remote;
        private final Map<String, LtxPosition> sent;
        private final Set<String> filter;
        /** Databases whose position in {@link #sent} came from this stream (so it is on the primary's chain). */
        private final Set<String> synced = new HashSet<>();
        private volatile boolean ready;

        ReplicaStream(String replicaId, String remote, SortedMap<String, LtxPosition> positions, Set<String> filter) {
            this.replicaId = replicaId;
            this.remote = remote;
            this.sent = new ConcurrentHashMap<>(positions);
            this.filter = filter;
        }

        private boolean wanted(String name) {
            return filter.isEmpty() || filter.contains(name);
        }

        void run(FrameWriter w, ChangeSet changes) throws IOException {
            Set<String> names = new TreeSet<>(node.databases().keySet());
            names.addAll(sent.keySet());
            for (String name : names) {
                if (wanted(name)) {
                    catchUp(w, name);
                }
            }
            w.writeReady();
            node.metrics().framesSent.labelValues("ready").inc();
            ready = true;
            while (!node.isClosed()) {
                Set<String> dirty;
                try {
                    dirty = changes.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (changes.isClosed()) {
                    break;
                }
                if (dirty.isEmpty()) {
                    heartbeat(w);
                    continue;
                }
                for (String name : dirty) {
                    if (wanted(name)) {
                        catchUp(w, name);
                    }
                }
            }
            w.writeEnd();
        }

        /** Sends {@code name} from the replica's position to the primary's (REPLICATION.md 2.3 rules 1-4). */
        private void catchUp(FrameWriter w, String name) throws IOException {
            ReplicatedDatabase db = node.database(name);
            // Catch up to where the database is now, not to wherever a busy writer gets meanwhile: commits
            // after this point come back through the change set, so READY and other databases are not starved.
            LtxPosition target = db.position();
            for (int guard = 0; guard < 1_000_000; guard++) {
                LtxPosition p = db.position();
                LtxPosition r = sent.getOrDefault(name, LtxPosition.ZERO);
                if (synced.contains(name) && Long.compareUnsigned(r.txid(), target.txid()) >= 0
                        && Long.compareUnsigned(r.txid(), p.txid()) <= 0) {
                    return; // r is a position this stream sent, so it is on the primary's chain
                }
                if (p.txid() == 0) {
                    if (r.txid() > 0) {
                        w.writeDropDb(name);
                        sent.remove(name);
                    }
                    return;
                }
                if (r.equals(p)) {
                    synced.add(name);
                    return;
                }
                if (r.txid() == 0) {
                    // The log's own snapshot (TXID 1 of a new database, or a restart after a gap) serves as is.
                    Optional<Path> first = db.logFileStartingAt(1);
                    if (first.isPresent() && sendLoggedSnapshot(w, db.name(), first.get(), p)) {
                        continue;
                    }
                    sendSnapshot(w, db);
                    continue;
                }
                if (Long.compareUnsigned(r.txid(), p.txid()) > 0 || r.txid() == p.txid()) {
                    sendSnapshot(w, db);
                    continue;
                }
                Optional<Path> next = db.logFileStartingAt(r.txid() + 1);
                if (next.isEmpty()) {
                    sendSnapshot(w, db);
                    continue;
                }
                Path file = next.get();
                LtxFileFacts facts;
                try {
                    facts = LtxFileFacts.read(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // retention removed it just now: look again
                }
                if (facts.header().preApplyChecksum() != r.checksum()
                        || Long.compareUnsigned(facts.header().maxTxid(), p.txid()) > 0) {
                    sendSnapshot(w, db);
                    continue;
                }
                long size = Files.size(file);
                try (InputStream in = Files.newInputStream(file)) {
                    w.writeLtx(name, size, in);
                }
                node.metrics().framesSent.labelValues("ltx").inc();
                node.metrics().ltxBytes.labelValues(name, "sent").inc(size);
                sent.put(name, facts.after());
                synced.add(name);
                LOG.debug("sent {} to replica {}", file.getFileName(), replicaId);
            }
        }

        private void heartbeat(FrameWriter w) throws IOException {
            SortedMap<String, LtxPosition> p = new TreeMap<>();
            node.positions().forEach((k, v) -> {
                if (wanted(k) && v.txid() > 0) {
                    p.put(k, v);
                }
            });
            w.writeHeartbeat(System.currentTimeMillis(), p);
            node.metrics().framesSent.labelValues("heartbeat").inc();
        }

        /** Sends a snapshot file from the log, if it is still there and not above the position. */
        private boolean sendLoggedSnapshot(FrameWriter w, String name, Path file, LtxPosition p) throws IOException {
            LtxFileFacts facts;
            try (InputStream in = Files.newInputStream(file)) {
                facts = LtxFileFacts.read(file);
                if (Long.compareUnsigned(facts.header().maxTxid(), p.txid()) > 0) {
                    return false;
                }
                w.writeSnapshot(name, Files.size(file), SnapshotDeadline.wrap(in, node.settings().snapshotTimeout()));
                countSnapshot(name, Files.size(file));
            } catch (java.nio.file.NoSuchFileException e) {
                return false; // removed by retention or replaced by a newer snapshot meanwhile
            }
            sent.put(name, facts.after());
            synced.add(name);
            return true;
        }

        private void sendSnapshot(FrameWriter w, ReplicatedDatabase db) throws IOException {
            Path spool = Files.createTempFile(node.settings().dataDir().resolve("tmp"), db.name() + "-", ".snapshot");
            try {
                LtxPosition at;
                // A large database takes a while to copy: the replica hears a HEARTBEAT every second meanwhile
                // (REPLICATION.md 2.4), or it would take the silence for a dead connection.
                try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(spool), 1 << 16);
                     HeartbeatsWhile beats = new HeartbeatsWhile(() -> heartbeat(w))) {
                    at = db.writeSnapshot(out);
                }
                try (InputStream in = Files.newInputStream(spool)) {
                    w.writeSnapshot(db.name(), Files.size(spool), SnapshotDeadline.wrap(in, node.settings().snapshotTimeout()));
                }
                countSnapshot(db.name(), Files.size(spool));
                sent.put(db.name(), at);
                synced.add(db.name());
            } finally {
                Files.deleteIfExists(spool);
            }
        }

        private void countSnapshot(String name, long size) {
            node.metrics().framesSent.labelValues("snapshot").inc();
            node.metrics().snapshotsSent.labelValues(name).inc();
            node.metrics().ltxBytes.labelValues(name, "sent").inc(size);
        }

        Map<String, Object> vars() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("replicaNodeID", replicaId);
            m.put("remoteAddr", remote);
            m.put("ready", ready);
            Map<String, Object> dbs = new TreeMap<>();
            for (Map.Entry<String, LtxPosition> e : sent.entrySet()) {
                LtxPosition p = node.database(e.getKey()).position();
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("txid", String.format("%016x", e.getValue().txid()));
                d.put("checksum", String.format("%016x", e.getValue().checksum()));
                d.put("lagTx", Math.max(0, p.txid() - e.getValue().txid()));
                dbs.put(e.getKey(), d);
            }
            m.put("dbs", dbs);
            return m;
        }
    }
}
