package io.snkv;

import io.snkv.internal.btree.IndexTree;
import io.snkv.internal.btree.IndexTreeWriter;
import io.snkv.internal.btree.IntegrityChecker;
import io.snkv.internal.btree.PageReader;
import io.snkv.internal.btree.Database;
import io.snkv.internal.btree.ReadView;
import io.snkv.internal.btree.TreeCursor;
import io.snkv.internal.btree.WriteView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SNKV key-value store: one SQLite-format database file holding byte-array keys and values.
 *
 * <p>Every operation outside an explicit transaction is its own atomic transaction. {@link #begin}
 * starts an explicit one bound to the calling thread; that thread's operations then run inside it
 * until {@link #commit} or {@link #rollback}. An error inside a write transaction rolls it back.
 *
 * <p>Thread-safe: one write transaction at a time (other writers wait), readers concurrent with it.
 * In WAL mode each read sees one committed snapshot and never a half-done transaction.
 */
public final class KVStore implements AutoCloseable {
    private final Path path;
    private final KVStoreConfig config;
    private final Database db;
    private final int defaultRoot;
    private final boolean autoVacuum;
    private final ThreadLocal<Txn> current = new ThreadLocal<>();
    /** Bumped by every write; iterators inside a write transaction re-seek when it moved. */
    private final AtomicLong writes = new AtomicLong();
    private volatile boolean closed;

    /** A thread's explicit transaction. */
    private static final class Txn {
        final WriteView write;
        final ReadView read;
        final PageReader pages;
        IndexTreeWriter writer;

        Txn(WriteView write, ReadView read) {
            this.write = write;
            this.read = read;
            this.pages = write != null ? write : read;
        }
    }

    private KVStore(Path path, KVStoreConfig config, Database db) {
        this.path = path;
        this.config = config;
        this.db = db;
        this.defaultRoot = db.defaultRoot();
        this.autoVacuum = db.autoVacuum();
    }

    /** Opens or creates the store at {@code path} with the default settings. */
    public static KVStore open(Path path) {
        return open(path, KVStoreConfig.defaults());
    }

    /** The busy timeout a store joining a replication node gets when its configuration asks for none. */
    public static final java.time.Duration NODE_BUSY_TIMEOUT = java.time.Duration.ofSeconds(5);

    /**
     * Opens or creates the store at {@code path}. In a replication node's served directory (a
     * {@code .snkv-node} file beside it) the store joins the node: its commits are captured into the node's
     * log, writes need the node to be primary, and a zero busy timeout becomes {@link #NODE_BUSY_TIMEOUT}.
     */
    public static KVStore open(Path path, KVStoreConfig config) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(config, "config");
        io.snkv.spi.NodeAttachment node = attachToNode(path, config);
        KVStoreConfig cfg = withNodeDefaults(config, node);
        Database db = guard(path, () -> Database.open(path, settings(cfg, node)));
        return new KVStore(path, cfg, db);
    }

    private static KVStoreConfig withNodeDefaults(KVStoreConfig config, io.snkv.spi.NodeAttachment node) {
        if (node != null && config.busyTimeout().isZero()) {
            // The node briefly takes the write lock too (snapshots for replicas): waiting a moment beats BUSY.
            return config.toBuilder().busyTimeout(NODE_BUSY_TIMEOUT).build();
        }
        return config;
    }

    /** The engine's settings for {@code cfg}, joined to {@code node} (null: none). */
    private static Database.Settings settings(KVStoreConfig cfg, io.snkv.spi.NodeAttachment node) {
        Path capture = node != null ? node.dataDir() : cfg.changeCapture();
        long nodeId = node != null ? node.nodeId() : cfg.captureNodeId();
        java.time.Duration retention = node != null ? node.retention().orElse(cfg.captureRetention()) : cfg.captureRetention();
        int autoCheckpoint = node != null && cfg.walSizeLimit() == 0 ? node.autoCheckpointCommits() : cfg.walSizeLimit();
        return new Database.Settings(cfg.storage(), cfg.journalMode(), cfg.syncLevel(), cfg.cacheSize(), cfg.pageSize(),
                cfg.readOnly(), cfg.busyTimeout().toMillis(), autoCheckpoint, capture, retention,
                cfg.captureRetentionInterval(), nodeId, cfg.clock(), node);
    }

    /**
     * A database in a replication node's served directory (a {@value io.snkv.spi.ReplicationHook#DESCRIPTOR}
     * file beside it) joins that node through the {@link io.snkv.spi.ReplicationHook} on the class path.
     * Read-only opens and stores that configure capture themselves (the node does) stay unattached.
     */
    private static io.snkv.spi.NodeAttachment attachToNode(Path path, KVStoreConfig config) {
        Path descriptor = path.toAbsolutePath().resolveSibling(io.snkv.spi.ReplicationHook.DESCRIPTOR);
        if (config.readOnly() || config.changeCapture() != null || !java.nio.file.Files.exists(descriptor)) {
            return null;
        }
        java.util.Optional<io.snkv.spi.ReplicationHook> hook =
                java.util.ServiceLoader.load(io.snkv.spi.ReplicationHook.class).findFirst();
        if (hook.isEmpty()) {
            throw new ReadOnlyException(path + " is served by a replication node (" + descriptor + ") and snkv-node is "
                    + "not on the class path, so a commit could not be logged: open it read-only or add snkv-node");
        }
        return hook.get().attach(path, descriptor);
    }

    public Path path() {
        return path;
    }

    public KVStoreConfig config() {
        return config;
    }

    /** The journal mode in force (a read-only open keeps the file's own). */
    public JournalMode journalMode() {
        return db.journalMode();
    }

    // ---- change capture and LTX files ----

    /**
     * The change log's position (TXID and database checksum of the last commit this connection knows
     * of; another process may have committed since), when the store captures changes
     * ({@link KVStoreConfig.Builder#changeCapture}).
     */
    public Optional<LtxPosition> capturePosition() {
        checkOpen();
        return db.capturePosition();
    }

    /** The directory holding the captured LTX files, when the store captures changes. */
    public Optional<Path> captureDirectory() {
        return db.captureDirectory();
    }

    /**
     * Applies an LTX file to the store as one write transaction, atomically for readers in every
     * process. The file is verified as it is read; its pre-apply checksum must equal the database's
     * checksum (with capture on, also its first TXID must follow the log's), and the result must
     * have its post-apply checksum, or nothing is committed and a {@link KVException} says why. A snapshot
     * file (min TXID 1) replaces every page. With capture on, the file joins the log as it is.
     * Without capture the database's checksum is computed by reading every page.
     *
     * @return the position after the file
     */
    public LtxPosition applyLtx(Path ltxFile) {
        return applyLtx(ltxFile, false);
    }

    /**
     * Applies consecutive LTX files (no snapshots; capture on) as ONE write transaction: each is verified as
     * {@link #applyLtx(Path)} verifies one and joins the change log as its own file, and readers see the state
     * before the first or after the last. All or nothing: on any failure nothing is committed, and a file that
     * fails verification leaves every file where it was. With {@code moveIntoLog} the files are moved into the
     * log rather than copied.
     *
     * @return the position after each file
     */
    public java.util.List<LtxPosition> applyLtx(java.util.List<Path> ltxFiles, boolean moveIntoLog) {
        checkOpen();
        Objects.requireNonNull(ltxFiles, "ltxFiles");
        if (current.get() != null) {
            throw new KVException(ErrorCode.MISUSE, "cannot apply LTX files inside a transaction");
        }
        if (db.captureDirectory().isEmpty()) {
            throw new KVException(ErrorCode.MISUSE, "applying several LTX files at once needs change capture on");
        }
        return guard(path, () -> db.applyLtxAll(List.copyOf(ltxFiles), moveIntoLog));
    }

    /**
     * As {@link #applyLtx(Path)}; with {@code moveIntoLog} and capture on, a file that applies is moved into
     * the change log instead of copied (a replica's received file, which it would delete next): it is gone
     * from {@code ltxFile} afterwards. A file that does not apply stays where it is.
     */
    public LtxPosition applyLtx(Path ltxFile, boolean moveIntoLog) {
        checkOpen();
        Objects.requireNonNull(ltxFile, "ltxFile");
        if (current.get() != null) {
            throw new KVException(ErrorCode.MISUSE, "cannot apply an LTX file inside a transaction");
        }
        return guard(path, () -> db.applyLtx(ltxFile, moveIntoLog));
    }

    /**
     * Writes a snapshot LTX file (min TXID 1, every page) of the committed state to {@code out}, from one
     * read transaction: in WAL mode writers are not held up by the copy. With capture on, its max TXID and
     * checksum are the log's position; without, TXID 1. Does not close {@code out}.
     */
    public LtxPosition writeSnapshot(java.io.OutputStream out) {
        checkOpen();
        Objects.requireNonNull(out, "out");
        return guard(path, () -> db.writeSnapshot(out));
    }

    /**
     * A raw image of the committed state (the bytes of a checkpointed database file) and its position, from one
     * read transaction that lasts until the image is closed. Not inside a transaction of this thread.
     */
    public DatabaseImage openImage() {
        checkOpen();
        if (current.get() != null) {
            throw new KVException(ErrorCode.MISUSE, "cannot export an image inside a transaction");
        }
        return new DatabaseImage(path, guard(path, db::openImage));
    }

    /**
     * Writes a raw image of the committed state to {@code out} (see {@link #openImage()}); does not close it.
     *
     * @return the position the image holds
     */
    public LtxPosition exportImage(java.io.OutputStream out) throws java.io.IOException {
        Objects.requireNonNull(out, "out");
        try (DatabaseImage image = openImage()) {
            image.writeTo(out);
            return image.position();
        }
    }

    /**
     * Replaces the whole database with a raw database image (an SQLite-format file: pages of its page size, as
     * {@link #exportImage} writes), as one write transaction: readers in every process see the old database or
     * the new one. Every page is written and the size set to the image's, so with change capture the log gets
     * one file holding every page. The image is checked first (SQLite magic, page size, length, the integrity
     * check) and must fit this database: same page size, reserved bytes, default-family root and auto-vacuum
     * setting. Page 1 is committed as given except for the format-version bytes 18 and 19, which follow this
     * store's journal mode, and in rollback-journal mode a change counter equal to the database's, which moves
     * on by one (other connections notice a commit only by it); see {@code ImageImport}. The transaction holds
     * the image's pages in memory until it commits. Not inside a transaction of this thread.
     *
     * @return the position afterwards (without capture: TXID 0 and the new checksum)
     * @throws InvalidImageException when the image is unusable or does not fit; nothing was changed
     */
    public LtxPosition importImage(Path image) {
        checkOpen();
        Objects.requireNonNull(image, "image");
        if (current.get() != null) {
            throw new KVException(ErrorCode.MISUSE, "cannot import an image inside a transaction");
        }
        return guard(path, () -> db.importImage(image));
    }

    /**
     * Creates the database at {@code database} from a raw image as its first transaction (with capture, the log
     * starts with a snapshot holding it), checked as {@link #importImage} checks one; if the file exists by then,
     * the image replaces it as {@link #importImage} would. The connection used is closed before returning.
     *
     * @return the position afterwards (without capture: TXID 0 and the image's checksum)
     * @throws InvalidImageException when the image is unusable or does not fit; nothing was changed
     */
    public static LtxPosition createFromImage(Path database, KVStoreConfig config, Path image) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(image, "image");
        io.snkv.spi.NodeAttachment node = attachToNode(database, config);
        Database.Settings s = settings(withNodeDefaults(config, node), node);
        return guard(database, () -> Database.createFromImage(database, s, image));
    }

    /** The LTX database checksum of the committed state (every page is read). */
    public long checksum() {
        checkOpen();
        return guard(path, db::checksum);
    }

    /**
     * Replaces the captured LTX files of TXIDs {@code minTxid..maxTxid} (committed ones, covered exactly
     * by whole files) with one file holding the latest version of each page. A replica that needs a TXID
     * inside the range then gets a snapshot instead.
     *
     * @return the new file
     */
    public Path compactCaptureLog(long minTxid, long maxTxid) {
        checkOpen();
        return db.compactLog(minTxid, maxTxid);
    }

    /** Deletes captured LTX files older than the retention now (it also happens in the background). */
    public int enforceCaptureRetention() {
        checkOpen();
        return db.enforceRetention();
    }

    /**
     * Creates the database file {@code database} from a snapshot LTX file: written beside it, verified,
     * fsynced and renamed into place. Refuses when the database (or its WAL or journal) exists.
     */
    public static LtxPosition restoreSnapshot(Path snapshot, Path database) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(database, "database");
        return Database.restoreSnapshot(snapshot, database);
    }

    // ---- data ----

    /** Stores {@code value} under {@code key}, replacing any value there. */
    public void put(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value);
        write(w -> {
            w.put(key, value);
            return null;
        });
    }

    /** Stores {@code value} only when {@code key} is absent; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value);
        return write(w -> {
            if (w.reader().exists(key)) {
                return false;
            }
            w.put(key, value);
            return true;
        });
    }

    /** The value stored under {@code key}, or empty. */
    public Optional<byte[]> get(byte[] key) {
        checkKey(key);
        return Optional.ofNullable(read(t -> t.get(key)));
    }

    public boolean exists(byte[] key) {
        checkKey(key);
        return read(t -> t.exists(key));
    }

    /** Removes {@code key}; true when it was there. */
    public boolean delete(byte[] key) {
        checkKey(key);
        return write(w -> w.delete(key));
    }

    /** Number of entries. Walks the whole tree (SNKV keeps no stored count). */
    public long count() {
        return read(IndexTree::count);
    }

    public void put(String key, String value) {
        put(utf8(key), utf8(value));
    }

    public Optional<String> getString(String key) {
        return get(utf8(key)).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    public boolean delete(String key) {
        return delete(utf8(key));
    }

    public boolean exists(String key) {
        return exists(utf8(key));
    }

    private static byte[] utf8(String s) {
        return Objects.requireNonNull(s, "key/value").getBytes(StandardCharsets.UTF_8);
    }

    /** A forward iterator over every entry; close it. */
    public KVIterator iterator() {
        checkOpen();
        Txn t = current.get();
        if (t != null) {
            return new StoreIterator(this, new IndexTree(t.pages, defaultRoot), null, t.write != null);
        }
        ReadView r = db.beginRead();
        return new StoreIterator(this, new IndexTree(r, defaultRoot), r, false);
    }

    // ---- transactions ----

    /** Starts an explicit transaction on this thread: a write transaction, or a read snapshot. */
    public void begin(boolean write) {
        checkOpen();
        if (current.get() != null) {
            throw new KVException(ErrorCode.MISUSE, "a transaction is already open on this thread");
        }
        if (write) {
            current.set(new Txn(db.beginWrite(), null));
        } else {
            current.set(new Txn(null, db.beginRead()));
        }
    }

    /**
     * Commits this thread's transaction. On {@link BusyException} (other connections' readers did not
     * leave within the busy timeout) nothing was written and the transaction stays open: commit again
     * or roll back. On any other error it is rolled back.
     */
    public void commit() {
        checkOpen();
        Txn t = current.get();
        if (t == null) {
            throw new KVException(ErrorCode.MISUSE, "no transaction is open on this thread");
        }
        if (t.write != null) {
            try {
                t.write.commit();
            } catch (BusyException e) {
                throw e; // still open: commit again or roll back
            } catch (RuntimeException e) {
                current.remove();
                t.write.rollback();
                throw e;
            }
            current.remove();
        } else {
            current.remove();
            t.read.close();
        }
    }

    /** Drops this thread's transaction. */
    public void rollback() {
        checkOpen();
        Txn t = current.get();
        if (t == null) {
            throw new KVException(ErrorCode.MISUSE, "no transaction is open on this thread");
        }
        current.remove();
        end(t);
    }

    private static void end(Txn t) {
        if (t.write != null) {
            t.write.rollback();
        } else {
            t.read.close();
        }
    }

    /** Whether this thread has an open transaction. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    // ---- maintenance ----

    public CheckpointResult checkpoint(CheckpointMode mode) {
        checkOpen();
        Objects.requireNonNull(mode, "mode");
        if (current.get() != null && current.get().write != null) {
            throw new KVException(ErrorCode.LOCKED, "cannot checkpoint inside a write transaction");
        }
        return db.checkpoint(mode);
    }

    /**
     * Gives free pages back to the file system, as SQLite's {@code PRAGMA incremental_vacuum(pages)} does on an
     * auto-vacuum database: pages at the end of the file move into free pages nearer its start, the free
     * list shrinks by up to {@code pages} pages and the file is cut short, along with the pointer-map pages it
     * no longer needs. A file without auto-vacuum (one SNKV did not create) is left alone.
     *
     * <p>Runs inside this thread's write transaction when one is open (the file shrinks when that
     * transaction commits, and a rollback undoes the vacuum), else as a transaction of its own. Like every
     * write it waits for the write transaction of other threads and processes. In WAL mode the database file
     * itself is cut at the next checkpoint.
     *
     * @param pages how many free pages to reclaim; {@code 0} reclaims all of them
     * @return how many pages the database shrank by (pointer-map pages included); 0 when there was nothing to do
     * @throws KVException {@link ErrorCode#MISUSE} for a negative {@code pages}
     * @throws ReadOnlyException inside a read transaction or on a read-only store
     * @throws CorruptDatabaseException when the free list or a pointer-map entry contradicts the file
     */
    public int incrementalVacuum(int pages) {
        checkOpen();
        if (pages < 0) {
            throw new KVException(ErrorCode.MISUSE, "incrementalVacuum: page count must be >= 0, was " + pages);
        }
        return writePages((w, t) -> db.incrementalVacuum(w, pages));
    }

    /** fsync of the database (and WAL), whatever the sync level. */
    public void sync() {
        checkOpen();
        db.sync();
    }

    /** Walks every page; returns the problems found, in words, or an empty list for a sound file. */
    public List<String> integrityCheck() {
        checkOpen();
        Txn t = current.get();
        if (t != null) {
            return IntegrityChecker.check(t.pages);
        }
        try (ReadView r = db.beginRead()) {
            return IntegrityChecker.check(r);
        }
    }

    /** Rolls back this thread's open transaction, checkpoints the WAL into the file and closes it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Txn t = current.get();
        if (t != null) {
            current.remove();
            end(t);
        }
        db.close();
    }

    // ---- plumbing ----

    long writeCount() {
        return writes.get();
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed: " + path);
        }
    }

    private void checkKey(byte[] key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new KVException(ErrorCode.MISUSE, "key must not be empty");
        }
        if (key.length > config.maxKeySize()) {
            throw new KVException(ErrorCode.TOOBIG, "key of " + key.length + " bytes exceeds the limit of "
                    + config.maxKeySize() + " bytes (maxKeySize)");
        }
    }

    private void checkValue(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > config.maxValueSize()) {
            throw new KVException(ErrorCode.TOOBIG, "value of " + value.length + " bytes exceeds the limit of "
                    + config.maxValueSize() + " bytes (maxValueSize)");
        }
    }

    private interface WriteOp<R> {
        R apply(IndexTreeWriter w);
    }

    private interface ReadOp<R> {
        R apply(IndexTree t);
    }

    /** Something done with the write transaction's pages; {@code explicit} is this thread's transaction or null. */
    private interface PagesOp<R> {
        R apply(WriteView w, Txn explicit);
    }

    private <R> R write(WriteOp<R> op) {
        return writePages((w, t) -> {
            if (t == null) {
                return op.apply(new IndexTreeWriter(w, defaultRoot, autoVacuum));
            }
            if (t.writer == null) {
                t.writer = new IndexTreeWriter(w, defaultRoot, autoVacuum);
            }
            return op.apply(t.writer);
        });
    }

    /** Runs {@code op} in this thread's write transaction, or in a transaction of its own that it commits. */
    private <R> R writePages(PagesOp<R> op) {
        Txn t = current.get();
        if (t != null) {
            if (t.write == null) {
                throw new ReadOnlyException("cannot write inside a read transaction");
            }
            try {
                R r = op.apply(t.write, t);
                writes.incrementAndGet();
                return r;
            } catch (RuntimeException e) {
                // A half-applied change must not be committed: the whole transaction goes.
                current.remove();
                end(t);
                throw translate(path, e);
            }
        }
        WriteView w = db.beginWrite();
        try {
            R r = op.apply(w, null);
            writes.incrementAndGet();
            w.commit();
            return r;
        } catch (RuntimeException e) {
            throw translate(path, e);
        } finally {
            w.rollback();
        }
    }

    private <R> R read(ReadOp<R> op) {
        Txn t = current.get();
        try {
            if (t != null) {
                return op.apply(new IndexTree(t.pages, defaultRoot));
            }
            try (ReadView r = db.beginRead()) {
                return op.apply(new IndexTree(r, defaultRoot));
            }
        } catch (RuntimeException e) {
            throw translate(path, e);
        }
    }

    /**
     * Runs a b-tree operation, turning what only damaged bytes can cause (an index or size out of
     * bounds that the format checks did not foresee) into {@link CorruptDatabaseException}.
     */
    static <R> R guard(Path path, java.util.function.Supplier<R> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw translate(path, e);
        }
    }

    /** Damage-only failures become {@link CorruptDatabaseException}; anything else passes unchanged. */
    static RuntimeException translate(Path path, RuntimeException e) {
        if (e instanceof IndexOutOfBoundsException || e instanceof NegativeArraySizeException
                || e instanceof ArithmeticException) {
            CorruptDatabaseException c = new CorruptDatabaseException(path, 0, "malformed page content (" + e + ")");
            c.initCause(e);
            return c;
        }
        return e;
    }

    /** The iterator over the default family. */
    private static final class StoreIterator implements KVIterator {
        private final KVStore store;
        private final IndexTree tree;
        private final ReadView snapshot;
        private final boolean seesWrites;
        private TreeCursor cursor;
        private byte[] lastKey;
        private long seenWrites;
        private boolean closed;

        StoreIterator(KVStore store, IndexTree tree, ReadView snapshot, boolean seesWrites) {
            this.store = store;
            this.tree = tree;
            this.snapshot = snapshot;
            this.seesWrites = seesWrites;
        }

        @Override
        public boolean first() {
            check();
            cursor = tree.cursor();
            seenWrites = store.writeCount();
            try {
                boolean ok = cursor.first();
                remember(ok);
                return ok;
            } catch (RuntimeException e) {
                throw translate(store.path, e);
            }
        }

        @Override
        public boolean next() {
            check();
            if (cursor == null || !cursor.valid()) {
                return false;
            }
            boolean ok;
            if (seesWrites && store.writeCount() != seenWrites) {
                // The tree changed under us: find our place again by key.
                seenWrites = store.writeCount();
                cursor = tree.cursor();
                byte[] k = lastKey;
                ok = guard(store.path, () -> cursor.seek(k));
                if (ok && java.util.Arrays.equals(cursor.key(), k)) {
                    ok = guard(store.path, cursor::next);
                }
            } else {
                try {
                    ok = cursor.next();
                } catch (RuntimeException e) {
                    throw translate(store.path, e);
                }
            }
            remember(ok);
            return ok;
        }

        /** Inside a write transaction the key is kept to find the place again after a write. */
        private void remember(boolean ok) {
            lastKey = ok && seesWrites ? cursor.key() : null;
        }

        @Override
        public boolean valid() {
            return !closed && cursor != null && cursor.valid();
        }

        @Override
        public byte[] key() {
            check();
            if (!valid()) {
                throw new IllegalStateException("iterator is not positioned on an entry");
            }
            try {
                return lastKey != null ? lastKey.clone() : cursor.key();
            } catch (RuntimeException e) {
                throw translate(store.path, e);
            }
        }

        @Override
        public byte[] value() {
            check();
            if (!valid()) {
                throw new IllegalStateException("iterator is not positioned on an entry");
            }
            if (seesWrites && store.writeCount() != seenWrites) {
                byte[] v = store.get(lastKey).orElse(null);
                if (v == null) {
                    throw new KVException(ErrorCode.NOTFOUND, "the current entry was deleted");
                }
                return v;
            }
            try {
                return cursor.value();
            } catch (RuntimeException e) {
                throw translate(store.path, e);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (snapshot != null) {
                    snapshot.close();
                }
            }
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("iterator is closed");
            }
            store.checkOpen();
        }
    }
}
