package io.snkv.cli;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.JournalMode;
import java.io.PrintStream;
import java.nio.file.Path;

/** The seed's {@code snkv_writer}: puts {@code chunks} chunks into {@code <dir>/snkv.db}, one transaction each. */
final class DemoWriter {
    private DemoWriter() {
    }

    static void run(Path db, int chunks, int chunkSize, PrintStream out) {
        byte[] data = DemoPattern.chunk(chunkSize);
        try (KVStore kv = KVStore.open(db, KVStoreConfig.builder().journalMode(JournalMode.WAL).build())) {
            out.printf("Writing %s of data...%n", DemoSizes.megabytes((long) chunks * chunkSize));
            for (int i = 0; i < chunks; i++) {
                kv.put(DemoPattern.key(i), data);
                out.printf("Wrote chunk %d (%d bytes)%n", i, chunkSize);
            }
            out.printf("Total written: %s%n", DemoSizes.megabytes((long) chunks * chunkSize));
        }
    }
}
