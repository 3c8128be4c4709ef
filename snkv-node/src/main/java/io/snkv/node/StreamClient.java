package io.snkv.node;

import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.ltx.LtxFormatException;
import io.snkv.ltx.LtxHeader;
import io.snkv.ltx.LtxLayout;
import io.snkv.node.stream.Frame;
import io.snkv.node.stream.FrameHeader;
import io.snkv.node.stream.FrameReader;
import io.snkv.node.stream.PositionMap;
import io.snkv.node.stream.StreamProtocolException;
import io.snkv.node.stream.StreamTruncatedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's side of the stream (REPLICATION.md 2.5, 3): one long-lived {@code POST /stream} carrying the
 * local positions; each LTX or SNAPSHOT payload is spooled to disk, then applied as one engine transaction
 * (verified completely first, by the engine); nothing partial is ever applied. On any fault it reconnects
 * with exponential backoff (reconnect delay doubling to 30 s, ±20 % jitter, reset on READY); a database whose
 * file does not apply is reported at the zero position next time, which makes the primary send a snapshot.
 */
final class StreamClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamClient.class);
    private static final long SILENCE_MS = 10_000;

    private final Node node;
    private final String primaryUrl;
    private final Duration reconnectDelay;
    private final HttpClient http;
    private final Thread thread;
    /** Databases whose last file did not apply: reported as (0, 0) so the primary sends a snapshot. */
    private final Set<String> resync = ConcurrentHashMap.newKeySet();
    private final DamagedFiles damaged = new DamagedFiles();
    private volatile boolean closed;
    private volatile boolean ready;
    private volatile boolean connected;
    private volatile long connectedAt;
    private volatile long lastFrameAt;
    private volatile long lastAppliedTimestamp;
    private volatile long reconnects;
    private volatile InputStream current;
    /** The first READY started the background check of every database against its position. */
    private boolean verifyStarted;

    StreamClient(Node node, String primaryUrl, Duration reconnectDelay) {
        this.node = node;
        this.primaryUrl = primaryUrl;
        this.reconnectDelay = reconnectDelay;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        this.thread = new Thread(this::loop, "snkv-stream-client");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean isReady() {
        return ready;
    }

    /** Seconds since the newest applied commit's timestamp; null (infinite) while not ready. */
    Double lagSeconds() {
        if (!ready) {
            return null;
        }
        long ref = Math.max(lastAppliedTimestamp, lastFrameAt);
        return Math.max(0, (System.currentTimeMillis() - ref) / 1000.0);
    }

    Map<String, Object> vars() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("primaryURL", primaryUrl);
        m.put("connected", connected);
        m.put("ready", ready);
        m.put("connectedAt", connectedAt == 0 ? null : java.time.Instant.ofEpochMilli(connectedAt).toString());
        m.put("lastFrameAt", lastFrameAt == 0 ? null : java.time.Instant.ofEpochMilli(lastFrameAt).toString());
        m.put("reconnects", reconnects);
        m.put("lagSeconds", lagSeconds());
        return m;
    }

    private void loop() {
        long delay = reconnectDelay.toMillis();
        while (!closed) {
            boolean wasReady = false;
            try {
                wasReady = streamOnce();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.info("stream from {} ended: {}", primaryUrl, e.toString());
                    node.metrics().streamErrors.labelValues("replica", reason(e)).inc();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                wasReady |= ready; // READY resets the backoff, also for a stream that then failed (REPLICATION.md 2.5)
                connected = false;
                ready = false;
            }
            if (closed) {
                return;
            }
            reconnects++;
            node.metrics().reconnects.inc();
            delay = wasReady ? reconnectDelay.toMillis() : Math.min(30_000, Math.max(delay, 1) * 2);
            long jittered = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
            try {
                Thread.sleep(wasReady ? reconnectDelay.toMillis() : jittered);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection: returns whether it reached READY (then the backoff resets). */
    private boolean streamOnce() throws IOException, InterruptedException {
        java.util.List<String> filter = node.settings().databases();
        SortedMap<String, LtxPosition> local = node.positions();
        for (String name : resync) {
            local.put(name, LtxPosition.ZERO);
        }
        if (!filter.isEmpty()) {
            local.keySet().retainAll(filter); // lease.databases: only these are asked for (REPLICATION.md 2.1)
        }
        String query = filter.isEmpty() ? "" : "?filter=" + String.join(",", filter);
        HttpRequest req = HttpRequest.newBuilder(URI.create(primaryUrl + "/stream" + query))
                .header("Snkv-Node-Id", node.nodeIdHex())
                .header("Snkv-Stream-Version", "1")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PositionMap.encode(local)))
                .build();
        HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            try (InputStream err = resp.body()) {
                String body = new String(err.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).trim();
                throw new StreamFault("status", "primary answered " + resp.statusCode() + ": " + body, null);
            }
        }
        boolean reachedReady = false;
        try (WatchedStream in = new WatchedStream(resp.body())) {
            current = in;
            connected = true;
            connectedAt = System.currentTimeMillis();
            Thread watchdog = new Thread(() -> in.watch(SILENCE_MS), "snkv-stream-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            Path spools = node.settings().dataDir().resolve("tmp");
            FrameReader reader = new FrameReader(in, () -> Files.getFileStore(spools).getUsableSpace());
            try {
                Frame next = null;
                for (Frame f; !closed && (f = next != null ? next : reader.next()) != null; ) {
                    if (next == null) {
                        counted(f);
                    }
                    next = null;
                    if (f instanceof Frame.Ltx ltx) {
                        // Files already waiting behind this one (the replica is behind) are applied with it.
                        List<Spooled> batch = new ArrayList<>(List.of(spool(ltx)));
                        long bytes = ltx.fileLength();
                        while (batch.size() < BATCH_FILES && bytes < BATCH_BYTES && in.available() > 0) {
                            Frame more;
                            try {
                                more = reader.next();
                            } catch (IOException | RuntimeException e) {
                                apply(batch); // the whole files before a fault count
                                throw e;
                            }
                            if (more == null) {
                                break;
                            }
                            counted(more);
                            if (more instanceof Frame.Ltx l && l.name().equals(ltx.name())) {
                                try {
                                    batch.add(spool(l));
                                } catch (IOException | RuntimeException e) {
                                    apply(batch);
                                    throw e;
                                }
                                bytes += l.fileLength();
                            } else {
                                next = more;
                                break;
                            }
                        }
                        apply(batch);
                    } else if (f instanceof Frame.FileFrame file) {
                        apply(List.of(spool(file)));
                    } else if (f instanceof Frame.Heartbeat) {
                        flushAll(); // the primary is idle: make what was applied durable
                    } else if (f instanceof Frame.Ready) {
                        ready = true;
                        reachedReady = true;
                        if (!verifyStarted) {
                            verifyStarted = true; // once per start: a full read of every database is not free
                            node.verifyInBackground(this::changedBehindTheNode);
                        }
                    } else if (f instanceof Frame.End) {
                        return reachedReady;
                    } else if (f instanceof Frame.Error e) {
                        throw new StreamFault("error", "primary sent ERROR: " + e.reason(), null);
                    } else if (f instanceof Frame.DropDb d) {
                        LOG.warn("primary has no database {}; keeping the local copy untouched", d.name());
                    }
                }
            } catch (IOException e) {
                // Closed by the watchdog: whatever the reader made of it, the primary went silent.
                throw in.silenced() && !(e instanceof StreamFault) ? silence(e) : e;
            }
            if (in.silenced()) {
                throw silence(null); // the closed stream read as a clean EOF
            }
            return reachedReady;
        } finally {
            current = null;
            flushAll();
        }
    }

    /** At most this many waiting files, or about this many bytes, go into one engine transaction. */
    static final int BATCH_FILES = 64;
    static final long BATCH_BYTES = 16L << 20;

    /** A received file on disk, not applied yet. */
    private record Spooled(Frame.FileFrame frame, Path file) {}

    private void counted(Frame f) {
        lastFrameAt = System.currentTimeMillis();
        node.metrics().framesReceived.labelValues(f.type().label()).inc();
    }

    /** Writes a file frame's payload to disk (REPLICATION.md 2.4: never whole into memory). */
    private Spooled spool(Frame.FileFrame f) throws IOException {
        Path spool = Files.createTempFile(node.settings().dataDir().resolve("tmp"), f.name() + "-", ".ltx.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(spool); InputStream in = f.file()) {
                byte[] head = in.readNBytes(LtxLayout.HEADER_SIZE);
                checkFileType(f, head);
                out.write(head);
                in.transferTo(out);
            }
            return new Spooled(f, spool);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
    }

    /**
     * Applies spooled files of one database in order: several consecutive LTX files as one engine transaction
     * (each still verified and logged as its own file), else one by one. A batch that does not apply is retried
     * file by file, so the files before a bad one are kept and the bad one is judged as if it came alone.
     */
    private void apply(List<Spooled> batch) throws IOException {
        try {
            if (batch.size() > 1) {
                ReplicatedDatabase db = node.database(batch.get(0).frame().name());
                List<LtxFileFacts> facts = new ArrayList<>();
                List<Path> files = new ArrayList<>();
                for (Spooled s : batch) {
                    facts.add(LtxFileFacts.read(s.file())); // before the apply moves them into the log
                    files.add(s.file());
                }
                List<LtxPosition> at = null;
                try {
                    at = db.applyAll(files);
                } catch (KVException e) {
                    LOG.debug("{} files for {} did not apply together ({}); one by one", batch.size(),
                            db.name(), e.getMessage());
                }
                if (at != null) {
                    for (int i = 0; i < batch.size(); i++) {
                        applied(db, batch.get(i).frame(), facts.get(i), at.get(i));
                    }
                    return;
                }
            }
            for (Spooled s : batch) {
                applyOne(s);
            }
        } finally {
            for (Spooled s : batch) {
                Files.deleteIfExists(s.file());
            }
        }
    }

    /** Applies one spooled file; a file that does not apply forces a snapshot next time (or a refetch, 2.5). */
    private void applyOne(Spooled s) throws IOException {
        Frame.FileFrame f = s.frame();
        ReplicatedDatabase db = node.database(f.name());
        try {
            LtxFileFacts facts = LtxFileFacts.read(s.file()); // before the apply moves it into the log
            LtxPosition at = db.apply(s.file(), facts.header());
            applied(db, f, facts, at);
        } catch (KVException e) {
            if (e.code() == io.snkv.ErrorCode.CORRUPT) {
                // A damaged file (REPLICATION.md 2.5): fetch it again; the third failure at one position resyncs.
                if (!damaged.thirdAt(f.name(), db.position())) {
                    LOG.warn("{} for {} is damaged ({}); fetching it again", f.type(), f.name(), e.getMessage());
                    throw new StreamFault("corrupt", "reconnecting after a damaged file for " + f.name(), e);
                }
            }
            LOG.warn("{} from the primary did not apply to {}: {}; asking for a snapshot", f.type(), f.name(),
                    e.getMessage());
            resync.add(f.name());
            throw new StreamFault("apply", "reconnecting for a snapshot of " + f.name(), e);
        }
    }

    /** What follows an applied file: events, metrics, the lag clock, strict-verify and the group flush. */
    private void applied(ReplicatedDatabase db, Frame.FileFrame f, LtxFileFacts facts, LtxPosition at) throws IOException {
        LOG.debug("applied {} {} bytes for {}: now at {}", f.type(), f.fileLength(), f.name(), at);
        resync.remove(f.name());
        damaged.applied(f.name());
        lastAppliedTimestamp = facts.header().timestamp();
        db.recordApply(lastAppliedTimestamp);
        if (node.settings().strictVerify() && !verified(db)) {
            LOG.error("strict-verify: {} after applying TXID {} does not match its position {}; asking for a snapshot",
                    f.name(), Long.toUnsignedString(at.txid()), at);
            resync.add(f.name());
            throw new StreamFault("verify", "reconnecting for a snapshot of " + f.name() + " after a failed verification", null);
        }
        node.applied(f.name(), facts);
        db.flushIfDue(FLUSH_EVERY_MS);
        node.metrics().ltxBytes.labelValues(f.name(), "received").inc(f.fileLength());
        if (f instanceof Frame.Snapshot) {
            node.metrics().snapshotsReceived.labelValues(f.name()).inc();
        }
    }

    /**
     * A database that no longer matches its position (REPLICATION.md 5.3: changed behind the node, or damaged): it
     * is reported as (0, 0) on a new stream, so the primary sends a snapshot.
     */
    private void changedBehindTheNode(String name) {
        LOG.warn("{} does not match its position {}: asking the primary for a snapshot", name, node.position(name));
        resync.add(name);
        InputStream in = current;
        if (in != null) {
            try {
                in.close(); // the reader fails and reconnects
            } catch (IOException ignored) {
                // reconnecting anyway
            }
        }
    }

    /** Applied files are flushed at least this often while files arrive, and whenever the primary is idle. */
    static final long FLUSH_EVERY_MS = 100;

    private void flushAll() {
        for (ReplicatedDatabase d : node.databases().values()) {
            try {
                d.flushIfDue(0);
            } catch (KVException e) {
                LOG.warn("flushing {} failed: {}", d.name(), e.getMessage());
            }
        }
    }

    private static boolean verified(ReplicatedDatabase db) {
        try {
            return db.verify();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // stopping
        }
    }

    /**
     * The frame-type rule (REPLICATION.md 2.5, 3 step 1), checked on the file's header before the rest is read: an
     * LTX frame never carries a snapshot (min TXID 1) and a SNAPSHOT frame nothing else. A header that does not
     * decode is left to the apply, which rejects the file.
     */
    private static void checkFileType(Frame.FileFrame f, byte[] head) throws StreamProtocolException {
        LtxHeader h;
        try {
            h = LtxHeader.parse(head);
        } catch (LtxFormatException e) {
            return;
        }
        if (h.isSnapshot() != (f instanceof Frame.Snapshot)) {
            long fileStart = f.header().offset() + FrameHeader.LENGTH + f.header().payloadLength() - f.fileLength();
            throw StreamProtocolException.inFrame(f.type(), f.header().offset(), fileStart + LtxLayout.OFF_MIN_TXID,
                    f.type() + " frame for " + f.name() + " carries a file with min TXID "
                            + Long.toUnsignedString(h.minTxid()) + (h.isSnapshot() ? "" : ", not a snapshot"));
        }
    }

    private static StreamFault silence(IOException cause) {
        return new StreamFault("silence", "no byte from the primary for " + SILENCE_MS / 1000 + " s", cause);
    }

    /** The {@code reason} label of {@code snkv_stream_errors_total{side="replica"}} for what ended a stream. */
    private static String reason(Exception e) {
        if (e instanceof StreamFault f) {
            return f.reason;
        }
        if (e instanceof StreamTruncatedException) {
            return "truncated";
        }
        return e instanceof StreamProtocolException ? "protocol" : "io";
    }

    /** A stream ended for a reason the client names: status, error, apply, corrupt, verify or silence. */
    private static final class StreamFault extends IOException {
        private static final long serialVersionUID = 1L;
        final String reason;

        StreamFault(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The response body, closed by its watchdog after a stretch of silence (REPLICATION.md 2.4: 10 s). */
    private static final class WatchedStream extends FilterInputStream {
        private volatile long lastByte = System.currentTimeMillis();
        private volatile boolean done;
        private volatile boolean silent;

        WatchedStream(InputStream in) {
            super(in);
        }

        void watch(long silenceMs) {
            while (!done) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done && System.currentTimeMillis() - lastByte > silenceMs) {
                    LOG.info("no byte from the primary for {} ms: closing the stream", silenceMs);
                    silent = true;
                    try {
                        close();
                    } catch (IOException ignored) {
                        // the reader fails and reconnects
                    }
                    return;
                }
            }
        }

        /** Whether the watchdog closed the stream for silence. */
        boolean silenced() {
            return silent;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastByte = System.currentTimeMillis();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastByte = System.currentTimeMillis();
            return n;
        }

        @Override
        public void close() throws IOException {
            done = true;
            super.close();
        }
    }
}
