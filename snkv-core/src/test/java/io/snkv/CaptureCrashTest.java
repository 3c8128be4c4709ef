package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGKILLs a child JVM committing with change capture at random moments; after each kill the log and
 * the database must agree ({@link CaptureLogCheck}: one gap-free chain whose replay is the database)
 * and the position must hold every commit the child reported, plus at most the one in flight. In about
 * a third of the cycles the parent leaves the recovery to the next child. Bounded by
 * {@code -Dsnkv.capture.crash.cycles} (default 15) and {@code -Dsnkv.capture.crash.seconds} (default 40)
 * per mode. Seed printed; {@code -Dsnkv.seed=<seed>} repeats the schedule.
 */
@Tag("slow")
class CaptureCrashTest {
    private static final long BASE_SEED = TestSeed.resolve("CaptureCrashTest");
    private static final int CYCLES = Integer.getInteger("snkv.capture.crash.cycles", 15);
    private static final long SECONDS = Long.getLong("snkv.capture.crash.seconds", 40);

    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(JournalMode.WAL, SyncLevel.NORMAL, 4096, 0),
                Arguments.of(JournalMode.DELETE, SyncLevel.FULL, 1024, 1));
    }

    @ParameterizedTest(name = "{0}, {1}, page size {2}")
    @MethodSource("modes")
    void killedCapturingWriterLeavesLogAndDatabaseInAgreement(JournalMode mode, SyncLevel sync, int pageSize, int index)
            throws Exception {
        long seed = TestSeed.derive(BASE_SEED, index);
        System.out.println("[CaptureCrashTest] " + mode + "/" + sync + " seed " + seed + " (-Dsnkv.seed=" + BASE_SEED + ")");
        Random rnd = new Random(seed);
        Path db = dir.resolve("c.db");
        Path data = dir.resolve("data");
        KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).syncLevel(sync).pageSize(pageSize)
                .captureRetention(java.time.Duration.ZERO).build();
        long reported = 0;
        int verified = 0;
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        for (int cycle = 1; cycle <= CYCLES && System.nanoTime() < deadline; cycle++) {
            String where = mode + "/" + sync + " seed " + seed + " cycle " + cycle;
            CrashWriterProcess child = CrashWriterProcess.start(dir, "capture-" + cycle, CaptureWriterMain.class,
                    List.of(db.toString(), data.toString(), mode.name(), sync.name(), Integer.toString(pageSize),
                            Long.toString(rnd.nextLong()), "1000000", "120", "k", "0"));
            if (rnd.nextInt(5) == 0) {
                Thread.sleep(rnd.nextInt(900)); // often while the child opens and recovers
            } else {
                assertThat(child.awaitLine("OPEN ", 60_000)).as(where + ": child opened; stderr " + child.stderr()).isTrue();
                Thread.sleep(rnd.nextInt(700));
            }
            child.kill();
            for (String line : child.completeLines()) {
                if (line.startsWith("COMMITTED ")) {
                    reported = Math.max(reported, Long.parseLong(line.substring(10)));
                }
            }
            child.deleteOutput();
            if (rnd.nextInt(3) == 0 && cycle < CYCLES) {
                continue; // the next child recovers
            }
            LtxPosition pos = CaptureLogCheck.verify(db, data, cfg, dir.resolve("scratch"), where);
            assertThat(pos.txid()).as(where + ": every reported commit is in the log").isGreaterThanOrEqualTo(reported);
            assertThat(pos.txid()).as(where + ": at most the one in flight beyond").isLessThanOrEqualTo(reported + 1);
            reported = pos.txid();
            verified++;
        }
        System.out.println("[CaptureCrashTest] " + mode + "/" + sync + ": " + verified + " verifications, TXID " + reported);
        assertThat(verified).isGreaterThan(0);
        assertThat(reported).as("the children committed something").isGreaterThan(1);
    }
}
