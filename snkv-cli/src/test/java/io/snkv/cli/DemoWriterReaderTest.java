package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snkv demo writer} and {@code snkv demo reader}, run in-process: the seed's lines, exit codes. */
class DemoWriterReaderTest {
    @TempDir
    Path dir;

    private CliRun writer(String... args) {
        return CliRun.of(concat(new String[] {"demo", "writer", "--dir", dir.toString()}, args));
    }

    private CliRun reader(String... args) {
        return CliRun.of(concat(new String[] {"demo", "reader", "--dir", dir.toString()}, args));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void assertLines(String actual, String expected) {
        assertThat(actual.lines()).containsExactlyElementsOf(expected.lines().toList());
    }

    @Test
    void writerThenReaderPrintTheSeedsLinesExactly() {
        long before = System.currentTimeMillis();
        CliRun w = writer();
        long after = System.currentTimeMillis();
        assertThat(w.exit()).as("%s", w).isZero();
        assertLines(w.out(), DemoSeedOutput.WRITER);
        // capture is off for a plain directory: the line has no txid
        assertThat(w.err()).matches("last-commit unix-ms=\\d+\\R");
        long ms = Long.parseLong(w.err().strip().substring("last-commit unix-ms=".length()));
        assertThat(ms).isBetween(before, after);

        CliRun r = reader();
        assertThat(r.exit()).as("%s", r).isZero();
        assertLines(r.out(), DemoSeedOutput.READER_PASS);
        assertThat(r.err()).isEmpty();
        try (KVStore kv = KVStore.open(dir.resolve("snkv.db"), KVStoreConfig.builder().readOnly(true).build())) {
            assertThat(kv.count()).isEqualTo(10);
            assertThat(kv.integrityCheck()).isEmpty();
        }
    }

    @Test
    void plainDemoStillRunsWriterThenReaderOnOneDirectory() {
        CliRun run = CliRun.of("demo", "--dir", dir.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertLines(run.out(), DemoSeedOutput.WRITER + "\n" + DemoSeedOutput.READER_PASS);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aSecondWriterRunOverwritesTheSameKeys() {
        assertThat(writer("--chunks", "2").exit()).isZero();
        assertThat(writer("--chunks", "2").exit()).isZero();
        try (KVStore kv = KVStore.open(dir.resolve("snkv.db"))) {
            assertThat(kv.count()).isEqualTo(2);
        }
        assertThat(reader("--chunks", "2").exit()).isZero();
    }

    @Test
    void writerWithCaptureReportsTheTxidOfItsLastCommit() {
        Path db = dir.resolve("snkv.db");
        KVStoreConfig cfg = DemoWriter.config().toBuilder().changeCapture(dir.resolve("data")).build();
        DemoWriter.LastCommit last = DemoWriter.run(db, cfg, 3, 1000, new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8));
        LtxPosition pos;
        try (KVStore kv = KVStore.open(db, cfg)) {
            pos = kv.capturePosition().orElseThrow();
        }
        assertThat(last.position()).contains(pos);
        assertThat(last.line()).isEqualTo(String.format("last-commit txid=%016x unix-ms=%d", pos.txid(), last.unixMillis()));
    }

    @Test
    void lastCommitLineFormats() {
        assertThat(new DemoWriter.LastCommit(Optional.of(new LtxPosition(0x2a, 0x8000000000000001L)), 1732550000123L).line())
                .isEqualTo("last-commit txid=000000000000002a unix-ms=1732550000123");
        assertThat(new DemoWriter.LastCommit(Optional.empty(), 5).line()).isEqualTo("last-commit unix-ms=5");
    }

    @Test
    void readerOnAMissingDatabaseFindsNoChunkAndCreatesNothing() throws IOException {
        CliRun r = reader();
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertLines(r.out(), DemoSeedOutput.READER_NOTHING_FOUND);
        assertThat(r.err()).isEqualTo("snkv demo reader: no such file: " + dir.resolve("snkv.db")
                + " (no chunk can be found)" + System.lineSeparator());
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }

        Path missingDir = dir.resolve("mnt2");
        CliRun r2 = CliRun.of("demo", "reader", "--dir", missingDir.toString());
        assertThat(r2.exit()).isEqualTo(1);
        assertLines(r2.out(), DemoSeedOutput.READER_NOTHING_FOUND);
        assertThat(missingDir).doesNotExist();
    }

    @Test
    void readerReportsACorruptedChunkWhereItsFirstBadByteIs() {
        assertThat(writer("--chunks", "3").exit()).isZero();
        byte[] bad = DemoPattern.chunk(1024 * 1024);
        bad[1234] = 'z'; // 1234 % 26 = 12: 'M' expected
        bad[5000] = 'z';
        try (KVStore kv = KVStore.open(dir.resolve("snkv.db"))) {
            kv.put(DemoPattern.key(1), bad);
        }
        CliRun r = reader("--chunks", "3");
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertLines(r.out(), """
                Reading 3 MB of data...
                Chunk 0: 1048576 bytes [✓ VALID]
                Chunk 1: 1048576 bytes [✗ CORRUPTED - first error at byte 1234]
                  Expected: 'M', Got: 'z'
                Chunk 2: 1048576 bytes [✓ VALID]

                ========================================
                Total read: 3145728 bytes (3.00 MB)
                Expected:   3145728 bytes (3.00 MB)
                Data integrity: ✗ FAIL
                ========================================
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void readerReportsAChunkOfTheWrongSize() {
        assertThat(writer("--chunks", "3").exit()).isZero();
        try (KVStore kv = KVStore.open(dir.resolve("snkv.db"))) {
            kv.put(DemoPattern.key(2), DemoPattern.chunk(1000));
        }
        CliRun r = reader("--chunks", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertLines(r.out(), """
                Reading 3 MB of data...
                Chunk 0: 1048576 bytes [✓ VALID]
                Chunk 1: 1048576 bytes [✓ VALID]
                Chunk 2: SIZE MISMATCH (expected 1048576, got 1000)

                ========================================
                Total read: 2098152 bytes (2.00 MB)
                Expected:   3145728 bytes (3.00 MB)
                Data integrity: ✗ FAIL
                ========================================
                """);
    }

    @Test
    void readerAskedForMoreChunksThanWrittenReportsTheRestMissing() {
        assertThat(writer("--chunks", "2").exit()).isZero();
        CliRun r = reader("--chunks", "4");
        assertThat(r.exit()).isEqualTo(1);
        assertLines(r.out(), """
                Reading 4 MB of data...
                Chunk 0: 1048576 bytes [✓ VALID]
                Chunk 1: 1048576 bytes [✓ VALID]
                Chunk 2: [✗ KEY NOT FOUND]
                Chunk 3: [✗ KEY NOT FOUND]

                ========================================
                Total read: 2097152 bytes (2.00 MB)
                Expected:   4194304 bytes (4.00 MB)
                Data integrity: ✗ FAIL
                ========================================
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void smallChunksPrintSizesAsTheCProgramsDo() {
        CliRun w = writer("--chunks", "3", "--chunk-size", "5000");
        assertThat(w.exit()).isZero();
        assertLines(w.out(), """
                Writing 0.01 MB of data...
                Wrote chunk 0 (5000 bytes)
                Wrote chunk 1 (5000 bytes)
                Wrote chunk 2 (5000 bytes)
                Total written: 0.01 MB
                """);
        CliRun r = reader("--chunks", "3", "--chunk-size", "5000");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).contains("Chunk 2: 5000 bytes [✓ VALID]", "Total read: 15000 bytes (0.01 MB)");
    }

    @Test
    void numbersKeepCsFormatInALocaleWithADecimalComma() {
        Locale saved = Locale.getDefault();
        Locale savedFormat = Locale.getDefault(Locale.Category.FORMAT);
        Locale savedDisplay = Locale.getDefault(Locale.Category.DISPLAY);
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(writer("--chunks", "3", "--chunk-size", "5000").out()).contains("Writing 0.01 MB of data...");
            assertThat(reader("--chunks", "3", "--chunk-size", "5000").out().lines())
                    .contains("Total read: 15000 bytes (0.01 MB)", "Expected:   15000 bytes (0.01 MB)");
        } finally {
            Locale.setDefault(saved);
            Locale.setDefault(Locale.Category.FORMAT, savedFormat);
            Locale.setDefault(Locale.Category.DISPLAY, savedDisplay);
        }
    }

    @Test
    void writerIntoAMissingDirectoryFailsWithOneLine() {
        Path missing = dir.resolve("mnt1");
        CliRun w = CliRun.of("demo", "writer", "--dir", missing.toString());
        assertThat(w.exit()).isEqualTo(1);
        assertThat(w.out()).isEmpty();
        assertThat(w.err()).isEqualTo("snkv demo writer: no such directory: " + missing + System.lineSeparator());
        assertThat(missing).doesNotExist();
    }

    @Test
    void storeErrorsAreOneLineAndExitOne() throws IOException {
        Files.writeString(dir.resolve("snkv.db"), "this is not an SQLite database, not even close to one. ".repeat(4));
        CliRun w = writer();
        assertThat(w.exit()).as("%s", w).isEqualTo(1);
        assertThat(w.err().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("snkv demo writer: "));
        assertThat(w.err()).doesNotContain("last-commit");

        CliRun r = reader();
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("snkv demo reader: "));
    }

    @Test
    void badOptionsExitTwoAndWriteNothing() throws IOException {
        String[][] bad = {
            {"--chunks", "0"}, {"--chunks", "ten"}, {"--chunks", "-1"}, {"--chunk-size", "0"},
            {"--chunk-size", "10485761"}, {"--chunk-size", "1MB"}, {"--chunkz", "3"}, {"stray"}, {"--dir"},
        };
        for (String sub : new String[] {"writer", "reader"}) {
            for (String[] args : bad) {
                CliRun run = CliRun.of(concat(new String[] {"demo", sub}, args));
                assertThat(run.exit()).as("%s %s", sub, String.join(" ", args)).isEqualTo(2);
                assertThat(run.out()).isEmpty();
            }
        }
        assertThat(CliRun.of("demo", "writer", "--chunks", "ten").err()).contains("--chunks needs a positive integer, got 'ten'");
        assertThat(CliRun.of("demo", "reader", "--chunk-size", "10485761").err())
                .contains("--chunk-size must be at most 10485760 (the store's value limit), got '10485761'");
        assertThat(CliRun.of("demo", "writers").exit()).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void helpNamesTheDefaultDirectories() {
        CliRun w = CliRun.of("demo", "writer", "--help");
        assertThat(w.exit()).isZero();
        assertThat(w.out()).contains("(default: ./mnt1)", "last-commit");
        CliRun r = CliRun.of("demo", "reader", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("(default: ./mnt2)", "read-only");
        assertThat(CliRun.of("demo", "--help").out()).contains("writer", "reader");
    }
}
