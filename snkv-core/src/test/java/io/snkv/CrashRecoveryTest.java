package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

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
 * Kills a writing child JVM with SIGKILL at random moments and checks that the store it leaves behind holds
 * exactly the content after some transaction {@code k}, where {@code k} is at least the last transaction the
 * child reported committed and at most one more (the one in flight).
 *
 * <p>Most cycles the parent reopens the store itself to check it (and so recovers it); in about a third the
 * check is left to the next child, which then recovers a crashed store itself (and may be killed while doing
 * so). Bounded per mode by {@code -Dsnkv.crash.cycles} (default 25) and {@code -Dsnkv.crash.seconds}
 * (default 40). The seed is printed; {@code -Dsnkv.seed=<seed>} repeats the kill schedule (kill timing
 * still varies with machine speed).
 */
@Tag("slow")
class CrashRecoveryTest {
    private static final long BASE_SEED = TestSeed.resolve("CrashRecoveryTest");
    private static final int CYCLES = Integer.getInteger("snkv.crash.cycles", 25);
    private static final long SECONDS_PER_MODE = Long.getLong("snkv.crash.seconds", 40);
    /** The child gives up by itself after this long (in case this JVM dies and leaves it orphaned). */
    private static final int CHILD_MAX_SECONDS = 120;

    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
                arguments(JournalMode.WAL, SyncLevel.NORMAL, 1024, 0),
                arguments(JournalMode.WAL, SyncLevel.FULL, 4096, 1),
                arguments(JournalMode.DELETE, SyncLevel.NORMAL, 4096, 2),
                arguments(JournalMode.DELETE, SyncLevel.FULL, 1024, 3));
    }

    @ParameterizedTest(name = "{0} journal, sync {1}, page size {2}")
    @MethodSource("modes")
    void killedWriterLeavesExactlyACommittedPrefix(JournalMode mode, SyncLevel sync, int pageSize, int index)
            throws Exception {
        long seed = TestSeed.derive(BASE_SEED, index);
        Random rnd = new Random(seed);
        Path db = dir.resolve("crash.db");
        String header = mode + "/" + sync + " seed " + seed + " (-Dsnkv.seed=" + BASE_SEED + ")";
        System.out.println("[CrashRecoveryTest] " + header);

        CrashWorkload.Model model = new CrashWorkload.Model();
        long lo = 0; // the store holds the content after some k with lo <= k <= hi
        long hi = 0;
        boolean childVerifies = false;
        int cycle = 0;
        int earlyKills = 0;
        int childRecoveries = 0;
        int inFlightLanded = 0;
        long deadline = System.nanoTime() + SECONDS_PER_MODE * 1_000_000_000L;
        while (cycle < CYCLES && System.nanoTime() < deadline) {
            cycle++;
            String where = header + ", cycle " + cycle;
            List<String> args = List.of(db.toString(), mode.name(), sync.name(), Integer.toString(pageSize),
                    Long.toString(childVerifies ? lo : -1), Long.toString(hi), Integer.toString(CHILD_MAX_SECONDS));
            CrashWriterProcess child = CrashWriterProcess.start(dir, cycle, args);
            if (rnd.nextInt(5) == 0) {
                // Kill soon after launch: often while the child opens (and recovers) the store.
                earlyKills++;
                Thread.sleep(rnd.nextInt(1200));
            } else {
                boolean started = child.awaitLine("RECOVERED ", 60_000);
                if (!started) {
                    child.kill();
                    throw new AssertionError(where + ": the child never reported RECOVERED; stdout "
                            + child.completeLines() + ", stderr:\n" + child.stderr());
                }
                Thread.sleep(rnd.nextInt(sync == SyncLevel.FULL ? 700 : 400));
            }
            boolean diedByItself = !child.isAlive();
            int status = child.kill();
            List<String> lines = child.completeLines();
            if (diedByItself || status != CrashWriterProcess.KILLED) {
                throw new AssertionError(where + ": the child exited by itself with status " + status
                        + "; last stdout " + tail(lines) + ", stderr:\n" + child.stderr());
            }
            long recovered = -1;
            long lastCommitted = -1;
            for (String line : lines) {
                if (line.startsWith("VERIFY-FAILED")) {
                    throw new AssertionError(where + ": the child found a bad store after recovering it: " + line);
                } else if (line.startsWith("RECOVERED ")) {
                    recovered = Long.parseLong(line.substring(10).trim());
                } else if (line.startsWith("COMMITTED ")) {
                    lastCommitted = Long.parseLong(line.substring(10).trim());
                }
            }
            if (recovered >= 0) {
                if (childVerifies) {
                    childRecoveries++;
                }
                // Whatever the child found, it started transaction recovered+1 next.
                lo = recovered;
                hi = recovered + 1;
            }
            if (lastCommitted >= 0) {
                lo = lastCommitted;
                hi = lastCommitted + 1;
            }
            child.deleteOutput();

            childVerifies = rnd.nextInt(3) == 0;
            if (!childVerifies) {
                long k = verifyInParent(db, mode, sync, pageSize, lo, hi, model, where);
                if (k == hi && hi > lo) {
                    inFlightLanded++;
                }
                lo = k;
                hi = k;
            }
        }
        if (childVerifies) {
            long k = verifyInParent(db, mode, sync, pageSize, lo, hi, model, header + ", final check");
            lo = k;
        }
        System.out.printf("[CrashRecoveryTest] %s: %d cycles (%d early kills, %d recoveries checked by the child,"
                + " %d kills after which the in-flight transaction was found committed), %d transactions in total%n",
                header, cycle, earlyKills, childRecoveries, inFlightLanded, lo);
        assertThat(cycle).isPositive();
    }

    /** Opens the crashed store, checks it holds exactly the content after k with lo <= k <= hi; returns k. */
    private static long verifyInParent(Path db, JournalMode mode, SyncLevel sync, int pageSize, long lo, long hi,
            CrashWorkload.Model model, String where) {
        try (KVStore store = KVStore.open(db, CrashWriterMain.config(mode, sync, pageSize))) {
            long k = CrashWorkload.counterOf(store);
            if (k < lo || k > hi) {
                throw new AssertionError(where + ": after the kill the store holds transaction " + k
                        + " but it must hold one in [" + lo + ", " + hi + "]"
                        + (k < lo ? " (a transaction reported committed was lost)" : ""));
            }
            if (k < model.applied()) {
                throw new AssertionError(where + ": counter went back from " + model.applied() + " to " + k);
            }
            model.advanceTo(k);
            StoreContents.assertEquals(model.materialize(), store, where + ": content after transaction " + k);
            List<String> problems = store.integrityCheck();
            assertThat(problems).as("%s: integrityCheck() after recovery at transaction %d", where, k).isEmpty();
            return k;
        }
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }
}
