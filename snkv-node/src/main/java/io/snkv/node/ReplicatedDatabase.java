package io.snkv.node;

import io.snkv.DatabaseImage;
import io.snkv.KVException;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import io.snkv.ltx.LtxFileName;
import io.snkv.ltx.LtxHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One database of a node: its file in the served directory and its state under
 * {@code <data dir>/dbs/<name>/} (the change log and {@code pos}). On a primary the node reads positions and
 * log files for the streams (applications commit in their own processes); on a replica it applies received
 * files through its own store, one engine transaction each. Thread-safe.
 */
public final class ReplicatedDatabase implements AutoCloseable {
    private final String name;
    private final Path file;
    private final Path dataDir;
    private final Path stateDir;
    private final Path ltxDir;
    /**
     * The node keeps its stores open for its whole life, so they checkpoint as SQLite does on its own (about every
     * 1,000 pages), here every 1,000 commits or applied files; else the WAL would only grow.
     */
    static final int AUTO_CHECKPOINT_COMMITS = 1000;
    private final Duration retention;
    private final Duration retentionInterval;
    private KVStore store;
    /** The database failed verification against its position (REPLICATION.md 5.3); cleared when it passes. */
    private volatile boolean invalid;
    /** When the last received file was applied, and the timestamp in its header (replica; ms). */
    private volatile long appliedAt;
    private volatile long appliedTimestamp;

    ReplicatedDatabase(String name, Path servedDir, Path dataDir, Duration retention, Duration retentionInterval) {
        this.name = name;
        this.file = servedDir.resolve(name);
        this.dataDir = dataDir;
        this.stateDir = dataDir.resolve("dbs").resolve(name);
        this.ltxDir = stateDir.resolve("ltx");
        this.retention = retention;
        this.retentionInterval = retentionInterval;
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /**
     * The position of the last durable commit, from {@code pos} (written by whichever process committed);
     * the zero position when there is none yet. A torn or unreadable file reads as absent for now.
     */
    public LtxPosition position() {
        try {
            String s = Files.readString(stateDir.resolve("pos"), StandardCharsets.US_ASCII);
            return s.length() == 34 && s.endsWith("\n") ? LtxPosition.parse(s.substring(0, 33)) : LtxPosition.ZERO;
        } catch (NoSuchFileException e) {
            return LtxPosition.ZERO;
        } catch (IOException | IllegalArgumentException e) {
            return LtxPosition.ZERO;
        }
    }

    /** The log file whose min TXID is {@code txid}, if retention has kept it. */
    public Optional<Path> logFileStartingAt(long txid) throws IOException {
        Path single = ltxDir.resolve(LtxFileName.format(txid, txid));
        if (Files.exists(single)) {
            return Optional.of(single);
        }
        if (!Files.isDirectory(ltxDir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ltxDir, "*.ltx")) {
            for (Path p : ds) {
                try {
                    if (LtxFileName.parse(p.getFileName().toString()).minTxid() == txid) {
                        return Optional.of(p);
                    }
                } catch (IllegalArgumentException ignored) {
                    // not a log file
                }
            }
        }
        return Optional.empty();
    }

    /** The header and trailer facts of the log file ending at {@code txid}, or null when there is none (or it is unreadable). */
    LtxFileFacts logFileFactsEndingAt(long txid) {
        for (Path p : new Path[] {ltxDir.resolve(LtxFileName.format(txid, txid)), ltxDir.resolve(LtxFileName.format(1, txid))}) {
            try {
                return LtxFileFacts.read(p);
            } catch (IOException | RuntimeException e) {
                // not this one (or removed meanwhile)
            }
        }
        return null;
    }

    /** How many log files, and their bytes, for /debug/vars and /metrics. */
    public long[] logFilesAndBytes() {
        long n = 0;
        long bytes = 0;
        if (Files.isDirectory(ltxDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(ltxDir, "*.ltx")) {
                for (Path p : ds) {
                    n++;
                    bytes += Files.size(p);
                }
            } catch (IOException e) {
                // counted what could be
            }
        }
        return new long[] {n, bytes};
    }

    /** The node's own store on this database, opened with capture into the node's data directory. */
    synchronized KVStore store(int pageSizeIfNew) {
        if (store == null) {
            store = KVStore.open(file, config(pageSizeIfNew));
        }
        return store;
    }

    public boolean isInvalid() {
        return invalid;
    }

    void setInvalid(boolean invalid) {
        this.invalid = invalid;
    }

    /** Seconds from the last applied file's timestamp to its apply ({@code snkv_db_lag_seconds}); 0 before any. */
    double applyLagSeconds() {
        return appliedAt == 0 ? 0 : Math.max(0, appliedAt - appliedTimestamp) / 1000.0;
    }

    void recordApply(long ltxTimestamp) {
        appliedTimestamp = ltxTimestamp;
        appliedAt = System.currentTimeMillis();
    }

    /**
     * Checks the database against its position: a full checksum from one read transaction. A commit can land
     * between the checksum and the position read (its position file is written just after it), so a mismatch
     * counts only when it repeats with the position unchanged.
     *
     * Holds no lock of this object meanwhile, so applies go on; a position that never stays still for long enough
     * to tell gives up after 20 attempts, as passed.
     *
     * @return whether the database is where its position says
     */
    boolean verify() throws InterruptedException {
        KVStore s;
        synchronized (this) {
            if (!exists()) {
                return true;
            }
            s = store(4096);
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            LtxPosition before = position();
            long c = s.checksum();
            LtxPosition after = position();
            if (c == before.checksum() || c == after.checksum()) {
                invalid = false;
                return true;
            }
            if (attempt >= 3 && before.equals(after)) {
                invalid = true;
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Applied files not yet flushed to disk, and when the last flush was (ms). */
    private volatile boolean unflushed;
    private volatile long flushedAt;

    /**
     * Flushes the applied transactions (the WAL; the log's files are written out in the background and fsynced
     * before each checkpoint) when {@code maxDelayMs} have passed since the last flush,
     * or always with 0. A replica applies at sync level NORMAL and flushes in groups: an fsync per file held it to
     * a fifth of the primary's commit rate here. A power loss may take the last applied files; the boot-ID check
     * at the next open puts the position back where the database is, and the primary sends them again.
     */
    void flushIfDue(long maxDelayMs) {
        if (!unflushed) {
            return;
        }
        long now = System.currentTimeMillis();
        if (maxDelayMs > 0 && now - flushedAt < maxDelayMs) {
            return;
        }
        KVStore s;
        synchronized (this) {
            if (store == null) {
                return;
            }
            s = store;
        }
        unflushed = false;
        flushedAt = now;
        s.sync();
    }

    private KVStoreConfig config(int pageSizeIfNew) {
        return KVStoreConfig.builder().changeCapture(dataDir).captureRetention(retention)
                .captureRetentionInterval(retentionInterval).walSizeLimit(AUTO_CHECKPOINT_COMMITS).pageSize(pageSizeIfNew)
                .busyTimeout(Duration.ofSeconds(10)).build();
    }

    /** Whether the database file exists in the served directory. */
    public boolean exists() {
        return Files.exists(file);
    }

    /**
     * Writes a snapshot of the committed state to {@code out} (one read transaction; writers go on).
     *
     * @return the position it holds
     */
    public synchronized LtxPosition writeSnapshot(OutputStream out) {
        return store(4096).writeSnapshot(out);
    }

    /**
     * A raw image of the committed state and its position, from one read transaction held until it is closed
     * (writers go on). The database must exist: the caller checks {@link #exists()} first.
     */
    public DatabaseImage openImage() {
        KVStore s;
        synchronized (this) {
            s = store(4096);
        }
        return s.openImage();
    }

    /**
     * Replaces the database with a raw image as the next commit of its log (REPLICATION.md 6, {@code /import}):
     * one transaction writing every page, so replicas get it as an ordinary LTX file. A database that does not
     * exist yet is created by the import itself, which is then its TXID 1, a snapshot.
     *
     * @return the new position
     * @throws io.snkv.InvalidImageException when the image is unusable or does not fit; nothing changed
     */
    public synchronized LtxPosition importImage(Path image) {
        if (!exists() && store == null) {
            return KVStore.createFromImage(file, config(4096), image);
        }
        return store(4096).importImage(image);
    }

    /**
     * Applies consecutive received LTX files (no snapshot) as one engine transaction, each verified and moved into
     * the local log as its own file (see {@link KVStore#applyLtx(java.util.List, boolean)}).
     *
     * @return the position after each
     */
    public synchronized java.util.List<LtxPosition> applyAll(java.util.List<Path> received) {
        java.util.List<LtxPosition> at = store(4096).applyLtx(received, true);
        unflushed = true;
        return at;
    }

    /**
     * Applies a received, fully written LTX or snapshot file as one engine transaction (REPLICATION.md 3): the
     * engine verifies it completely, checks it against the local position and commits it; the file moves into
     * the local log ({@code h} is its header, read by the caller). A file that does not apply stays where it is.
     *
     * @return the new position
     * @throws KVException when it does not apply (the caller resets the position to force a snapshot)
     */
    public synchronized LtxPosition apply(Path received, LtxHeader h) throws IOException {
        if (h.isSnapshot() && exists() && h.pageSize() != pageSizeOfFile()) {
            // A page size change: start over from the snapshot with a new file.
            if (store != null) {
                store.close();
                store = null;
            }
            deleteDatabaseFiles();
        }
        LtxPosition at = store(h.pageSize()).applyLtx(received, true); // the received file becomes the log's
        unflushed = true;
        return at;
    }

    private int pageSizeOfFile() throws IOException {
        byte[] head = new byte[18];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 18) < 18) {
                return 0;
            }
        }
        int v = ((head[16] & 0xFF) << 8) | (head[17] & 0xFF);
        return v == 1 ? 65536 : v;
    }

    private void deleteDatabaseFiles() throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
