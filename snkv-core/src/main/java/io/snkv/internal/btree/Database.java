package io.snkv.internal.btree;

import io.snkv.CheckpointMode;
import io.snkv.CheckpointResult;
import io.snkv.JournalMode;
import io.snkv.SyncLevel;
import io.snkv.internal.io.Storage;
import io.snkv.internal.pager.Pager;
import java.nio.file.Path;

/**
 * An open SNKV database as the API layer sees it: read views and write views over its pages, with the
 * SNKV layout created or finished on open, and the pager's maintenance calls. The only way from
 * {@code io.snkv} to the pager. Thread-safe as the pager is.
 */
public final class Database implements AutoCloseable {
    private final Pager pager;
    private final int defaultRoot;
    private final boolean autoVacuum;

    /** How to open: the store's settings, as the pager takes them. */
    public record Settings(Storage storage, JournalMode journalMode, SyncLevel syncLevel, int cacheSize, int newPageSize,
                           boolean readOnly, long busyTimeoutMs, int autoCheckpointCommits) {
    }

    private Database(Pager pager, int defaultRoot, boolean autoVacuum) {
        this.pager = pager;
        this.defaultRoot = defaultRoot;
        this.autoVacuum = autoVacuum;
    }

    /**
     * Opens (creating when missing and writable) and checks the SNKV layout. A new file gets SNKV's
     * first pages; a file the C library had not finished creating (default family root 0) is finished.
     * Read-only, such a file reads as an empty store (default root 0).
     */
    public static Database open(Path path, Settings s) {
        Pager pager = Pager.open(s.storage(), path, new Pager.Options(s.journalMode(), s.syncLevel(), s.cacheSize(),
                s.newPageSize(), s.readOnly(), s.busyTimeoutMs(), s.autoCheckpointCommits()));
        try {
            if (pager.pageCount() == 0 && !s.readOnly()) {
                try (WriteView w = new WriteView(pager.beginWrite())) {
                    SnkvLayout.initialize(w, pager.journalMode() == JournalMode.WAL);
                    w.commit();
                }
            }
            int root = 0;
            boolean av = false;
            if (pager.pageCount() > 0) {
                try (ReadView r = new ReadView(pager.beginRead())) {
                    root = SnkvLayout.defaultRoot(r);
                    av = SnkvLayout.autoVacuum(r);
                }
                if (root == 0 && !s.readOnly()) {
                    try (WriteView w = new WriteView(pager.beginWrite())) {
                        root = SnkvLayout.initializeDefaultFamily(w);
                        w.commit();
                    }
                }
                if (root != 0) {
                    try (ReadView r = new ReadView(pager.beginRead())) {
                        SnkvLayout.validate(r);
                    }
                }
            }
            return new Database(pager, root, av);
        } catch (RuntimeException e) {
            try {
                pager.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Root page of the default family; 0 for a read-only file with none yet (an empty store). */
    public int defaultRoot() {
        return defaultRoot;
    }

    public boolean autoVacuum() {
        return autoVacuum;
    }

    /** The journal mode in force. */
    public JournalMode journalMode() {
        return pager.journalMode();
    }

    /** A read transaction on the latest committed state; close it. */
    public ReadView beginRead() {
        return new ReadView(pager.beginRead());
    }

    /** The write transaction (waits for the one in progress, in this process or, up to the busy timeout, elsewhere). */
    public WriteView beginWrite() {
        return new WriteView(pager.beginWrite());
    }

    /**
     * SQLite's {@code PRAGMA incremental_vacuum(pages)} inside {@code w}: reclaims up to {@code pages} free
     * pages (0 = all) by moving pages from the end of the file into free pages; returns how many pages the
     * database shrank by. The file itself shrinks when {@code w} commits (WAL mode: at the next checkpoint).
     */
    public int incrementalVacuum(WriteView w, int pages) {
        return IncrementalVacuum.run(w, pages);
    }

    public CheckpointResult checkpoint(CheckpointMode mode) {
        return pager.checkpoint(mode);
    }

    public void sync() {
        pager.sync();
    }

    @Override
    public void close() {
        pager.close();
    }
}
