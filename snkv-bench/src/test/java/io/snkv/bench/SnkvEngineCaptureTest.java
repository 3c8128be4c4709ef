package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnkvEngineCaptureTest {
    @TempDir
    Path parent;

    @Test
    void capturingPassCountsWhatEachWritePhaseLoggedAndLeavesNothingBehind() throws Exception {
        SnkvEngine engine = SnkvEngine.capturing();
        assertThat(engine.name()).isEqualTo("snkv-capture");
        Path ltx;
        Path dir;
        try (TemporaryDirectory tmp = new TemporaryDirectory(parent, "snkv-bench-test-")) {
            dir = tmp.path();
            SelfCheck counts = new WorkloadPass(engine, 2_500, new PhaseLinePrinter(engine.name(), 1))
                    .run(tmp.path(), false);
            assertThat(counts.phase8Count).isEqualTo(2_500);
            ltx = tmp.path().resolve(SnkvEngine.CAPTURE_DIR).resolve("dbs").resolve("bench.db").resolve("ltx");
            assertThat(ltx).isDirectory();
            List<CaptureFigures> figures = engine.takeCaptureFigures();
            assertThat(figures).extracting(CaptureFigures::workload).containsExactly(
                    "open", "sequential_writes", "random_updates", "random_deletes", "mixed", "bulk_insert");
            // creating each of the two stores is a commit of its own, not timed
            assertThat(figures.get(0).commits()).isEqualTo(2);
            // 2,500 puts in transactions of 1,000: three commits, one LTX file each
            assertThat(figures.get(1).commits()).isEqualTo(3);
            assertThat(figures.subList(2, 6)).allSatisfy(f -> assertThat(f.commits()).isEqualTo(1));
            assertThat(figures).allSatisfy(f -> {
                assertThat(f.files()).isEqualTo(f.commits());
                assertThat(f.bytes()).isPositive();
            });
            long onDisk;
            try (var files = Files.list(ltx)) {
                onDisk = files.filter(p -> p.toString().endsWith(".ltx")).count();
            }
            assertThat(onDisk).isEqualTo(7); // bench.db: its creation, then phases 1 (3), 4, 5 and 7
            assertThat(engine.takeCaptureFigures()).isEmpty();
        } finally {
            engine.close();
        }
        assertThat(dir).doesNotExist();
        assertThat(ltx).doesNotExist();
    }

    @Test
    void plainEngineCapturesNothing() throws Exception {
        SnkvEngine engine = SnkvEngine.plain();
        try (TemporaryDirectory tmp = new TemporaryDirectory(parent, "snkv-bench-test-")) {
            new WorkloadPass(engine, 1_000, new PhaseLinePrinter(engine.name(), 1)).run(tmp.path(), false);
            assertThat(engine.takeCaptureFigures()).isEmpty();
            assertThat(tmp.path().resolve(SnkvEngine.CAPTURE_DIR)).doesNotExist();
        } finally {
            engine.close();
        }
    }
}
