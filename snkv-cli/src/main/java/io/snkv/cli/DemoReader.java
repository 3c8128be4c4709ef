package io.snkv.cli;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** The seed's {@code snkv_reader}: reads every chunk back and checks every byte. */
final class DemoReader {
    private DemoReader() {
    }

    /** Returns true when every chunk is present, of the right size and pattern. */
    static boolean run(Path db, int chunks, int chunkSize, PrintStream out) {
        long total = 0;
        boolean allValid = true;
        try (KVStore kv = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            out.printf("Reading %s of data...%n", DemoSizes.megabytes((long) chunks * chunkSize));
            for (int i = 0; i < chunks; i++) {
                Optional<byte[]> v = kv.get(DemoPattern.key(i));
                if (v.isEmpty()) {
                    out.printf("Chunk %d: [✗ KEY NOT FOUND]%n", i);
                    allValid = false;
                    continue;
                }
                byte[] data = v.get();
                total += data.length;
                if (data.length != chunkSize) {
                    out.printf("Chunk %d: SIZE MISMATCH (expected %d, got %d)%n", i, chunkSize, data.length);
                    allValid = false;
                    continue;
                }
                int err = DemoPattern.firstError(data);
                if (err < 0) {
                    out.printf("Chunk %d: %d bytes [✓ VALID]%n", i, data.length);
                } else {
                    out.printf("Chunk %d: %d bytes [✗ CORRUPTED - first error at byte %d]%n", i, data.length, err);
                    out.printf("  Expected: '%c', Got: '%c'%n", (char) ('A' + (err % 26)), (char) (data[err] & 0xff));
                    allValid = false;
                }
            }
        }
        long expected = (long) chunks * chunkSize;
        out.printf("%n========================================%n");
        out.printf("Total read: %d bytes (%.2f MB)%n", total, total / (1024.0 * 1024.0));
        out.printf("Expected:   %d bytes (%.2f MB)%n", expected, expected / (1024.0 * 1024.0));
        out.printf("Data integrity: %s%n", allValid ? "✓ PASS" : "✗ FAIL");
        out.printf("========================================%n");
        return allValid;
    }
}
