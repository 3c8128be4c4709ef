package io.snkv.cli;

import io.snkv.JournalMode;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The seed's {@code snkv_writer}: puts {@code chunks} chunks into a store, one transaction each (the C
 * program calls {@code kvstore_put} outside any transaction), printing its lines. One chunk buffer is
 * reused for every put, as the C program's is, so a 64 MiB heap is plenty.
 */
final class DemoWriter {
    private DemoWriter() {
    }

    /** What the seed opens: {@code KVSTORE_JOURNAL_WAL}, the other settings SNKV's defaults. */
    static KVStoreConfig config() {
        return KVStoreConfig.builder().journalMode(JournalMode.WAL).build();
    }

    /**
     * Writes every chunk; a failed put ends the run with its {@link io.snkv.KVException} (the chunks before
     * it stay committed).
     *
     * @return the last commit, read before the store is closed
     */
    static LastCommit run(Path db, KVStoreConfig config, int chunks, int chunkSize, PrintStream out) {
        byte[] data = DemoPattern.chunk(chunkSize);
        LastCommit last;
        try (KVStore kv = KVStore.open(db, config)) {
            out.format(Locale.ROOT, "Writing %s of data...%n", DemoSizes.megabytes((long) chunks * chunkSize));
            for (int i = 0; i < chunks; i++) {
                kv.put(DemoPattern.key(i), data);
                out.format(Locale.ROOT, "Wrote chunk %d (%d bytes)%n", i, chunkSize);
            }
            last = new LastCommit(kv.capturePosition(), kv.config().clock().millis());
            out.format(Locale.ROOT, "Total written: %s%n", DemoSizes.megabytes((long) chunks * chunkSize));
        }
        return last;
    }

    /**
     * The writer's last commit: its change-log position when the store captures changes, and the
     * wall-clock time just after it. {@link #line()} is what {@code demo writer} prints on standard error
     * for scripts that wait for a replica to catch up.
     */
    record LastCommit(Optional<LtxPosition> position, long unixMillis) {
        /** {@code last-commit txid=<16 hex> unix-ms=<ms>}, or without the txid when capture is off. */
        String line() {
            return position.map(p -> String.format(Locale.ROOT, "last-commit txid=%016x unix-ms=%d", p.txid(), unixMillis))
                    .orElseGet(() -> "last-commit unix-ms=" + unixMillis);
        }
    }
}
