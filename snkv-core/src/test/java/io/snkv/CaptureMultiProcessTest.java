package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two processes commit to one captured database at the same time: the log must be one gap-free TXID
 * sequence holding every commit of both, whose replay is the database.
 */
@Tag("slow")
class CaptureMultiProcessTest {
    private static final long BASE_SEED = TestSeed.resolve("CaptureMultiProcessTest");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void twoWritersProduceOneGapFreeSequence(JournalMode mode) throws Exception {
        long seed = TestSeed.derive(BASE_SEED, mode.ordinal());
        System.out.println("[CaptureMultiProcessTest] " + mode + " seed " + seed + " (-Dsnkv.seed=" + BASE_SEED + ")");
        Random rnd = new Random(seed);
        Path db = dir.resolve("m.db");
        Path data = dir.resolve("data");
        KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).captureRetention(java.time.Duration.ZERO).build();
        try (KVStore s = KVStore.open(db, cfg.toBuilder().changeCapture(data).build())) {
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(1);
        }
        int perChild = 150;
        List<CrashWriterProcess> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(CrashWriterProcess.start(dir, "writer-" + i, CaptureWriterMain.class,
                    List.of(db.toString(), data.toString(), mode.name(), "NORMAL", "4096", Long.toString(rnd.nextLong()),
                            Integer.toString(perChild), "120", "w" + i + "-", "3")));
        }
        long commits = 0;
        List<List<Long>> seen = new ArrayList<>();
        for (CrashWriterProcess c : children) {
            int status = c.await(180);
            assertThat(status).as("writer exit status; stderr " + c.stderr()).isZero();
            List<Long> txids = new ArrayList<>();
            int lines = 0;
            for (String line : c.completeLines()) {
                if (line.startsWith("COMMITTED ")) {
                    txids.add(Long.parseLong(line.substring(10)));
                }
                lines += line.startsWith("COMMITTED ") || line.startsWith("NOOP ") ? 1 : 0;
            }
            assertThat(lines).isEqualTo(perChild);
            assertThat(txids).as("each writer's TXIDs increase").isSorted().doesNotHaveDuplicates();
            seen.add(txids);
            commits += txids.size();
        }
        assertThat(seen.get(0)).as("no TXID given twice").doesNotContainAnyElementsOf(seen.get(1));
        assertThat(isContiguous(seen.get(0)) || isContiguous(seen.get(1))).as("the writers interleaved").isFalse();
        LtxPosition pos = CaptureLogCheck.verify(db, data, cfg, dir.resolve("scratch"), mode + " seed " + seed);
        assertThat(pos.txid()).as("one TXID per commit of either writer, after the creation").isEqualTo(1 + commits);
    }

    private static boolean isContiguous(List<Long> txids) {
        return txids.isEmpty() || txids.get(txids.size() - 1) - txids.get(0) == txids.size() - 1;
    }
}
