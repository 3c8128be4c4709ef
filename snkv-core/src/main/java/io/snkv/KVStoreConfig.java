package io.snkv;

import io.snkv.internal.io.FileStorage;
import io.snkv.internal.io.Storage;
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

    private KVStoreConfig(Builder b) {
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
    Storage storage() { return storage; }

    @Override
    public String toString() {
        return "KVStoreConfig[journalMode=" + journalMode + ", syncLevel=" + syncLevel + ", cacheSize=" + cacheSize
                + ", pageSize=" + pageSize + ", readOnly=" + readOnly + ", busyTimeout=" + busyTimeout
                + ", walSizeLimit=" + walSizeLimit + ", maxKeySize=" + maxKeySize + ", maxValueSize=" + maxValueSize + "]";
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
