package io.snkv;

import io.snkv.internal.io.FileStorage;
import io.snkv.internal.io.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a store is opened: SNKV's {@code KVStoreConfig} fields. Immutable; build one with {@link #builder()}.
 * The defaults are the C library's: WAL, NORMAL sync, 2,000 cached pages, 4,096-byte pages for new
 * files, read-write, no busy wait, no automatic checkpoint (the WAL is copied back at close).
 */
public final class KVStoreConfig {
    /** SNKV's key limit: 64 KiB. */
    public static final int DEFAULT_MAX_KEY_SIZE = 64 * 1024;
    /** SNKV's value limit: 10 MiB. */
    public static final int DEFAULT_MAX_VALUE_SIZE = 10 * 1024 * 1024;

    private final JournalMode journalMode;
    private final SyncLevel syncLevel;
    private final int cacheSize;
    private final int pageSize;
    private final boolean readOnly;
    private final Duration busyTimeout;
    private final int walSizeLimit;
    private final int maxKeySize;
    private final int maxValueSize;
    private final Storage storage;
    private final Path changeCapture;
    private final Duration captureRetention;
    private final Duration captureRetentionInterval;
    private final long captureNodeId;
    private final Clock clock;

    private KVStoreConfig(Builder b) {
        this.changeCapture = b.changeCapture;
        this.captureRetention = b.captureRetention;
        this.captureRetentionInterval = b.captureRetentionInterval;
        this.captureNodeId = b.captureNodeId;
        this.clock = b.clock;
        this.journalMode = b.journalMode;
        this.syncLevel = b.syncLevel;
        this.cacheSize = b.cacheSize;
        this.pageSize = b.pageSize;
        this.readOnly = b.readOnly;
        this.busyTimeout = b.busyTimeout;
        this.walSizeLimit = b.walSizeLimit;
        this.maxKeySize = b.maxKeySize;
        this.maxValueSize = b.maxValueSize;
        this.storage = b.storage;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static KVStoreConfig defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.journalMode = journalMode;
        b.syncLevel = syncLevel;
        b.cacheSize = cacheSize;
        b.pageSize = pageSize;
        b.readOnly = readOnly;
        b.busyTimeout = busyTimeout;
        b.walSizeLimit = walSizeLimit;
        b.maxKeySize = maxKeySize;
        b.maxValueSize = maxValueSize;
        b.storage = storage;
        b.changeCapture = changeCapture;
        b.captureRetention = captureRetention;
        b.captureRetentionInterval = captureRetentionInterval;
        b.captureNodeId = captureNodeId;
        b.clock = clock;
        return b;
    }

    public JournalMode journalMode() { return journalMode; }
    public SyncLevel syncLevel() { return syncLevel; }
    /** Page cache size in pages. */
    public int cacheSize() { return cacheSize; }
    /** Page size for a new file; an existing file keeps its own. */
    public int pageSize() { return pageSize; }
    public boolean readOnly() { return readOnly; }
    public Duration busyTimeout() { return busyTimeout; }
    /** Commits after which a PASSIVE checkpoint runs automatically (SNKV's meaning); 0 = only at close and on demand. */
    public int walSizeLimit() { return walSizeLimit; }
    public int maxKeySize() { return maxKeySize; }
    public int maxValueSize() { return maxValueSize; }
    /** The data directory whose {@code dbs/<file name>/} holds this database's change log, or null (no capture). */
    public Path changeCapture() { return changeCapture; }
    public Duration captureRetention() { return captureRetention; }
    public Duration captureRetentionInterval() { return captureRetentionInterval; }
    public long captureNodeId() { return captureNodeId; }
    /** The clock for timestamps (LTX headers, retention; TTLs later). */
    public Clock clock() { return clock; }
    Storage storage() { return storage; }

    @Override
    public String toString() {
        return "KVStoreConfig[journalMode=" + journalMode + ", syncLevel=" + syncLevel + ", cacheSize=" + cacheSize
                + ", pageSize=" + pageSize + ", readOnly=" + readOnly + ", busyTimeout=" + busyTimeout
                + ", walSizeLimit=" + walSizeLimit + ", maxKeySize=" + maxKeySize + ", maxValueSize=" + maxValueSize
                + (changeCapture != null ? ", changeCapture=" + changeCapture + ", captureRetention=" + captureRetention : "")
                + "]";
    }

    /** Builds a {@link KVStoreConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private JournalMode journalMode = JournalMode.WAL;
        private SyncLevel syncLevel = SyncLevel.NORMAL;
        private int cacheSize = 2000;
        private int pageSize = 4096;
        private boolean readOnly;
        private Duration busyTimeout = Duration.ZERO;
        private int walSizeLimit;
        private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
        private int maxValueSize = DEFAULT_MAX_VALUE_SIZE;
        private Storage storage = FileStorage.INSTANCE;
        private Path changeCapture;
        private Duration captureRetention = Duration.ofMinutes(10);
        private Duration captureRetentionInterval = Duration.ofMinutes(1);
        private long captureNodeId;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder journalMode(JournalMode mode) {
            this.journalMode = Objects.requireNonNull(mode, "journalMode");
            return this;
        }

        public Builder syncLevel(SyncLevel level) {
            this.syncLevel = Objects.requireNonNull(level, "syncLevel");
            return this;
        }

        /** Pages kept in memory; at least 10. */
        public Builder cacheSize(int pages) {
            if (pages < 10) {
                throw new IllegalArgumentException("cacheSize must be at least 10 pages, got " + pages);
            }
            this.cacheSize = pages;
            return this;
        }

        /** Page size of a new file: a power of two from 512 to 65536. */
        public Builder pageSize(int bytes) {
            if (bytes < 512 || bytes > 65536 || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException("pageSize must be a power of two from 512 to 65536, got " + bytes);
            }
            this.pageSize = bytes;
            return this;
        }

        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * How long to wait for another connection (in this JVM or another process) that holds a lock
         * this one needs (the write lock, readers a commit must wait for in rollback-journal mode,
         * readers a FULL checkpoint waits for) before {@link BusyException}; zero fails at once.
         * Threads of one store wait for each other's write transactions without a limit.
         */
        public Builder busyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "busyTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must not be negative, got " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * Run a PASSIVE checkpoint after every {@code commits} committed write transactions, as the C
         * library's {@code walSizeLimit} does; 0 (the default) checkpoints only at close and on demand.
         */
        public Builder walSizeLimit(int commits) {
            if (commits < 0) {
                throw new IllegalArgumentException("walSizeLimit must not be negative, got " + commits);
            }
            this.walSizeLimit = commits;
            return this;
        }

        /** Largest key accepted, in bytes (default and upper bound 64 KiB). */
        public Builder maxKeySize(int bytes) {
            if (bytes < 1 || bytes > DEFAULT_MAX_KEY_SIZE) {
                throw new IllegalArgumentException("maxKeySize must be 1.." + DEFAULT_MAX_KEY_SIZE + ", got " + bytes);
            }
            this.maxKeySize = bytes;
            return this;
        }

        /** Largest value accepted, in bytes (default 10 MiB, at most 1 GiB). */
        public Builder maxValueSize(int bytes) {
            if (bytes < 0 || bytes > (1 << 30)) {
                throw new IllegalArgumentException("maxValueSize must be 0..2^30, got " + bytes);
            }
            this.maxValueSize = bytes;
            return this;
        }

        /**
         * Turns change capture on: every committed write transaction, from this store or any other
         * capturing connection, becomes one LTX file in {@code <dataDir>/dbs/<database file name>/ltx/},
         * with the position in {@code .../pos} (see {@link KVStore#capturePosition()}). Capture is a
         * property of each connection: a commit made without it is detected by the next capturing
         * writer, which then logs a snapshot. Null turns it off (the default). Ignored read-only.
         */
        public Builder changeCapture(Path dataDir) {
            this.changeCapture = dataDir;
            return this;
        }

        /**
         * How long captured LTX files are kept (default 10 minutes; the newest file is always kept);
         * zero or negative keeps them all.
         */
        public Builder captureRetention(Duration retention) {
            this.captureRetention = Objects.requireNonNull(retention, "captureRetention");
            return this;
        }

        /** How often old LTX files are looked for (default 1 minute). */
        public Builder captureRetentionInterval(Duration interval) {
            Objects.requireNonNull(interval, "captureRetentionInterval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("captureRetentionInterval must be positive, got " + interval);
            }
            this.captureRetentionInterval = interval;
            return this;
        }

        /** The node ID written into captured LTX headers (default 0: unset). */
        public Builder captureNodeId(long nodeId) {
            this.captureNodeId = nodeId;
            return this;
        }

        /** The clock for timestamps; tests inject a fixed or stepping one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where files live; tests swap in a fault-injecting storage. */
        Builder storage(Storage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        public KVStoreConfig build() {
            return new KVStoreConfig(this);
        }
    }
}
