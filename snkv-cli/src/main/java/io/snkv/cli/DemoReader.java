package io.snkv.cli;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The seed's {@code snkv_reader}: reads every chunk back and checks every byte, printing the C program's
 * lines (numbers formatted as C formats them, whatever the default locale). One chunk in memory at a time.
 */
final class DemoReader {
    private DemoReader() {
    }

    /**
     * Opens {@code db} read-only and verifies it; returns true when every chunk is present, of the right
     * size and pattern. A store that cannot be opened or read raises its {@link io.snkv.KVException}.
     */
    static boolean run(Path db, int chunks, int chunkSize, PrintStream out) {
        try (KVStore kv = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            return verify(kv::get, chunks, chunkSize, out);
        }
    }

    /**
     * Verifies the chunks {@code lookup} returns, keyed {@code chunk_<i>}; a store with no database file is
     * verified with a lookup that finds nothing, which is what the C reader reports for a new, empty file.
     */
    static boolean verify(Function<byte[], Optional<byte[]>> lookup, int chunks, int chunkSize, PrintStream out) {
        long total = 0;
        boolean allValid = true;
        out.format(Locale.ROOT, "Reading %s of data...%n", DemoSizes.megabytes((long) chunks * chunkSize));
        for (int i = 0; i < chunks; i++) {
            Optional<byte[]> v = lookup.apply(DemoPattern.key(i));
            if (v.isEmpty()) {
                out.format(Locale.ROOT, "Chunk %d: [✗ KEY NOT FOUND]%n", i);
                allValid = false;
                continue;
            }
            byte[] data = v.get();
            total += data.length;
            if (data.length != chunkSize) {
                out.format(Locale.ROOT, "Chunk %d: SIZE MISMATCH (expected %d, got %d)%n", i, chunkSize, data.length);
                allValid = false;
                continue;
            }
            int err = DemoPattern.firstError(data);
            if (err < 0) {
                out.format(Locale.ROOT, "Chunk %d: %d bytes [✓ VALID]%n", i, data.length);
            } else {
                out.format(Locale.ROOT, "Chunk %d: %d bytes [✗ CORRUPTED - first error at byte %d]%n", i, data.length, err);
                out.format(Locale.ROOT, "  Expected: '%c', Got: '%c'%n", (char) ('A' + (err % 26)), (char) (data[err] & 0xff));
                allValid = false;
            }
        }
        long expected = (long) chunks * chunkSize;
        out.format(Locale.ROOT, "%n========================================%n");
        out.format(Locale.ROOT, "Total read: %d bytes (%.2f MB)%n", total, total / (1024.0 * 1024.0));
        out.format(Locale.ROOT, "Expected:   %d bytes (%.2f MB)%n", expected, expected / (1024.0 * 1024.0));
        out.format(Locale.ROOT, "Data integrity: %s%n", allValid ? "✓ PASS" : "✗ FAIL");
        out.format(Locale.ROOT, "========================================%n");
        return allValid;
    }
}
