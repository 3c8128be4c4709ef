package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesAndVerifiesTheSeedDemosTenMegabytes() {
        assertThat(run("demo", "--dir", dir.toString())).isZero();
        String o = out();
        assertThat(o).contains("Writing 10 MB of data...", "Wrote chunk 0 (1048576 bytes)", "Wrote chunk 9 (1048576 bytes)",
                "Total written: 10 MB", "Chunk 9: 1048576 bytes [✓ VALID]", "Total read: 10485760 bytes (10.00 MB)",
                "Data integrity: ✓ PASS");
        try (KVStore kv = KVStore.open(dir.resolve("snkv.db"))) {
            assertThat(kv.count()).isEqualTo(10);
            assertThat(kv.integrityCheck()).isEmpty();
        }
    }

    @Test
    void reportsACorruptedChunkAndFails() {
        assertThat(run("demo", "--dir", dir.toString(), "--chunks", "3", "--chunk-size", "5000")).isZero();
        byte[] bad = DemoPattern.chunk(5000);
        bad[1234] = 'z';
        try (KVStore kv = KVStore.open(dir.resolve("snkv.db"))) {
            kv.put(DemoPattern.key(1), bad);
        }
        out.reset();
        assertThat(DemoReader.run(dir.resolve("snkv.db"), 3, 5000, new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(out()).contains("Chunk 1: 5000 bytes [✗ CORRUPTED - first error at byte 1234]", "Data integrity: ✗ FAIL");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run("demo", "--chunks", "zero")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--chunks needs a positive integer, got 'zero'");
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void unknownOptionsMissingValuesAndStrayArgumentsExitTwo() {
        assertThat(run("demo", "--dir", dir.toString(), "--chunkz", "3")).isEqualTo(2);
        assertThat(run("demo", "--dir")).isEqualTo(2);
        assertThat(run("demo", "--dir", dir.toString(), "extra")).isEqualTo(2);
        assertThat(run("demo", "--chunk-size", "0")).isEqualTo(2);
        assertThat(run("nosuchcommand")).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--chunk-size needs a positive integer, got '0'");
    }

    @Test
    void optionsAlsoTakeTheirValueAfterAnEqualsSign() {
        assertThat(run("demo", "--dir=" + dir, "--chunks=2", "--chunk-size=100")).isZero();
        assertThat(out()).contains("Wrote chunk 1 (100 bytes)", "Data integrity: ✓ PASS");
    }
}
