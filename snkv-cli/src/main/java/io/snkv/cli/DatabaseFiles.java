package io.snkv.cli;

import io.snkv.JournalMode;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** How the ltx commands find and open database files. Stateless. */
final class DatabaseFiles {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** Header bytes 18 and 19: file format write and read versions, 1 = rollback journal, 2 = WAL. */
    private static final int OFF_WRITE_VERSION = 18;
    private static final int OFF_READ_VERSION = 19;

    private DatabaseFiles() {
    }

    /** Fails unless {@code db} is an existing regular file. */
    static void requireFile(Path db) {
        if (!Files.exists(db)) {
            throw new CommandFailure("no such file: " + db);
        }
        if (!Files.isRegularFile(db)) {
            throw new CommandFailure(db + ": not a regular file");
        }
    }

    /** Opens an existing database read-only: nothing in its file is changed. */
    static KVStore openReadOnly(Path db) {
        requireFile(db);
        return KVStore.open(db, KVStoreConfig.builder().readOnly(true).build());
    }

    /**
     * The journal mode an existing database file is in, from its header; empty when the header does not
     * say (an empty or short file, or not an SQLite file: opening it reports what is wrong).
     */
    static Optional<JournalMode> journalMode(Path db) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(db)) {
            h = in.readNBytes(100);
        }
        if (h.length < 100 || !Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        int write = h[OFF_WRITE_VERSION];
        int read = h[OFF_READ_VERSION];
        if (write == 2 && read == 2) {
            return Optional.of(JournalMode.WAL);
        }
        if (write == 1 && read == 1) {
            return Optional.of(JournalMode.DELETE);
        }
        return Optional.empty();
    }

    /** Opens an existing database for writing in the journal mode it is already in. */
    static KVStore openInItsOwnMode(Path db) throws IOException {
        requireFile(db);
        KVStoreConfig.Builder b = KVStoreConfig.builder();
        journalMode(db).ifPresent(b::journalMode);
        return KVStore.open(db, b.build());
    }
}
