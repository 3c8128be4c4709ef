package io.snkv.cli;

/**
 * What the seed's C programs print for the default workload (10 chunks of 1 MiB), copied from
 * {@code seed/litefs-demo.md} with the "..." lines written out.
 */
final class DemoSeedOutput {
    private DemoSeedOutput() {
    }

    static final String WRITER = """
            Writing 10 MB of data...
            Wrote chunk 0 (1048576 bytes)
            Wrote chunk 1 (1048576 bytes)
            Wrote chunk 2 (1048576 bytes)
            Wrote chunk 3 (1048576 bytes)
            Wrote chunk 4 (1048576 bytes)
            Wrote chunk 5 (1048576 bytes)
            Wrote chunk 6 (1048576 bytes)
            Wrote chunk 7 (1048576 bytes)
            Wrote chunk 8 (1048576 bytes)
            Wrote chunk 9 (1048576 bytes)
            Total written: 10 MB
            """;

    static final String READER_PASS = """
            Reading 10 MB of data...
            Chunk 0: 1048576 bytes [✓ VALID]
            Chunk 1: 1048576 bytes [✓ VALID]
            Chunk 2: 1048576 bytes [✓ VALID]
            Chunk 3: 1048576 bytes [✓ VALID]
            Chunk 4: 1048576 bytes [✓ VALID]
            Chunk 5: 1048576 bytes [✓ VALID]
            Chunk 6: 1048576 bytes [✓ VALID]
            Chunk 7: 1048576 bytes [✓ VALID]
            Chunk 8: 1048576 bytes [✓ VALID]
            Chunk 9: 1048576 bytes [✓ VALID]

            ========================================
            Total read: 10485760 bytes (10.00 MB)
            Expected:   10485760 bytes (10.00 MB)
            Data integrity: ✓ PASS
            ========================================
            """;

    /** The C reader on a database without the chunks (its open creates an empty file). */
    static final String READER_NOTHING_FOUND = """
            Reading 10 MB of data...
            Chunk 0: [✗ KEY NOT FOUND]
            Chunk 1: [✗ KEY NOT FOUND]
            Chunk 2: [✗ KEY NOT FOUND]
            Chunk 3: [✗ KEY NOT FOUND]
            Chunk 4: [✗ KEY NOT FOUND]
            Chunk 5: [✗ KEY NOT FOUND]
            Chunk 6: [✗ KEY NOT FOUND]
            Chunk 7: [✗ KEY NOT FOUND]
            Chunk 8: [✗ KEY NOT FOUND]
            Chunk 9: [✗ KEY NOT FOUND]

            ========================================
            Total read: 0 bytes (0.00 MB)
            Expected:   10485760 bytes (10.00 MB)
            Data integrity: ✗ FAIL
            ========================================
            """;
}
