package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.snkv.FaultInjectingStorage.Counted;
import io.snkv.FaultInjectingStorage.Persistence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails every write and every fsync of a fixed workload, one at a time: for each N the Nth mutating file-system
 * call (write, truncate, delete, file or directory sync, counted across all files) throws an IOException. The
 * failure must surface as {@code KVException(IOERR)}; after closing (which may fail too) and reopening with the
 * real file system the store must hold exactly the content after the last transaction whose commit returned,
 * with a clean integrity check.
 *
 * <p>Mostly writes and syncs are counted together (every mutating call is a fault point); two cases count
 * only syncs, the "fsync failed but the write went through" case.
 *
 * <p>With {@link Persistence#ONCE} only call N fails, so the engine can undo a failed commit: the failed
 * transaction must never appear, and the live store must show the last committed content until it is closed.
 * With {@link Persistence#FROM_THEN_ON} every later call fails as well (a disk that went away, much like a
 * crash at call N); the engine then cannot undo anything, so a transaction whose {@code commit()} failed may
 * be found either absent or complete (never partial), exactly as after a crash during commit. The workload is
 * deterministic; {@code -Dsnkv.fault.seconds} (default 15) bounds each case.
 */
@Tag("slow")
class FaultInjectionTest {
    private static final long SECONDS_PER_CASE = Long.getLong("snkv.fault.seconds", 15);
    private static final int PAGE_SIZE = 1024;
    private static final int CACHE_PAGES = 10;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments(JournalMode.WAL, SyncLevel.FULL, Counted.WRITES_AND_SYNCS, Persistence.ONCE),
                arguments(JournalMode.WAL, SyncLevel.NORMAL, Counted.WRITES_AND_SYNCS, Persistence.ONCE),
                arguments(JournalMode.DELETE, SyncLevel.FULL, Counted.WRITES_AND_SYNCS, Persistence.ONCE),
                arguments(JournalMode.DELETE, SyncLevel.NORMAL, Counted.WRITES_AND_SYNCS, Persistence.ONCE),
                arguments(JournalMode.WAL, SyncLevel.FULL, Counted.WRITES_AND_SYNCS, Persistence.FROM_THEN_ON),
                arguments(JournalMode.WAL, SyncLevel.NORMAL, Counted.WRITES_AND_SYNCS, Persistence.FROM_THEN_ON),
                arguments(JournalMode.DELETE, SyncLevel.FULL, Counted.WRITES_AND_SYNCS, Persistence.FROM_THEN_ON),
                arguments(JournalMode.DELETE, SyncLevel.NORMAL, Counted.WRITES_AND_SYNCS, Persistence.FROM_THEN_ON),
                // Only fsyncs fail (each once), writes always succeed: the engine can always undo.
                arguments(JournalMode.WAL, SyncLevel.FULL, Counted.SYNCS, Persistence.ONCE),
                arguments(JournalMode.DELETE, SyncLevel.FULL, Counted.SYNCS, Persistence.ONCE));
    }

    @ParameterizedTest(name = "{0} journal, sync {1}, failing {2} {3}")
    @MethodSource("cases")
    void everyFailedWriteOrSyncLeavesTheLastCommittedContent(JournalMode mode, SyncLevel sync, Counted counted,
            Persistence persistence) throws IOException {
        String header = mode + "/" + sync + "/" + counted + "/" + persistence;
        FaultInjectingStorage counting = new FaultInjectingStorage(counted, persistence, 0);
        Outcome clean = runWorkload(dir.resolve("count"), mode, sync, persistence, counting);
        assertThat(clean.surfaced).as("workload without faults").isNull();
        verifyReopened(dir.resolve("count"), mode, sync, clean, null);
        long total = counting.calls();
        System.out.println("[FaultInjectionTest] " + header + ": the workload makes " + total + " counted calls"
                + " (close included)");
        assertThat(total).isPositive();

        long deadline = System.nanoTime() + SECONDS_PER_CASE * 1_000_000_000L;
        Map<String, Integer> surfacedIn = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int inFlightLanded = 0;
        long n = 1;
        for (; n <= total && System.nanoTime() < deadline; n++) {
            Path runDir = dir.resolve("n" + n);
            FaultInjectingStorage storage = new FaultInjectingStorage(counted, persistence, n);
            String where = "N=" + n + " of " + total;
            try {
                Outcome o = runWorkload(runDir, mode, sync, persistence, storage);
                where = "N=" + n + " of " + total + ", fault at " + storage.fault()
                        + (o.surfaced == null ? "" : ", surfaced in " + o.failedIn + " as: " + o.surfaced.getMessage());
                List<String> problems = new ArrayList<>();
                if (storage.fault() != null) {
                    if (o.surfaced == null) {
                        problems.add("the injected fault was swallowed: no call raised KVException(IOERR)");
                    } else {
                        surfacedIn.merge(o.failedIn.replaceFirst(":.*", ""), 1, Integer::sum);
                    }
                }
                if (o.liveProblem != null) {
                    problems.add("before close: " + o.liveProblem);
                }
                try {
                    if (verifyReopened(runDir, mode, sync, o, persistence)) {
                        inFlightLanded++;
                    }
                } catch (AssertionError e) {
                    problems.add("after reopening: " + e.getMessage());
                }
                if (!problems.isEmpty()) {
                    failures.add(where + ": " + String.join("; ", problems));
                }
            } catch (AssertionError e) {
                failures.add(where + ": " + e.getMessage());
            }
            deleteTree(runDir);
        }
        if (n <= total) {
            System.out.println("[FaultInjectionTest] " + header + ": time bound reached after N=" + (n - 1) + " of "
                    + total);
        }
        System.out.println("[FaultInjectionTest] " + header + ": tested N=1.." + (n - 1) + "; faults surfaced in "
                + surfacedIn + "; failed commits found complete after reopen: " + inFlightLanded + "; "
                + failures.size() + " failures");
        if (!failures.isEmpty()) {
            throw new AssertionError(header + ": " + failures.size() + " of " + (n - 1) + " fault points fail:\n  "
                    + String.join("\n  ", failures));
        }
    }

    // ---- the workload ------------------------------------------------------------------------------------

    /** What happened in one run of the workload. */
    private static final class Outcome {
        /** Content after the last step that committed successfully. */
        NavigableMap<byte[], byte[]> committed = emptyMap();
        /** Content had the failed commit gone through, when the failure came out of a commit; else null. */
        NavigableMap<byte[], byte[]> inFlight;
        KVException surfaced;
        String failedIn;
        /** What was wrong with the live store after the failure, or null. */
        String liveProblem;
        /** Set by a step just before it calls the method that commits. */
        boolean commitCalled;
    }

    private interface StepAction {
        void run(KVStore store, Outcome o);
    }

    private interface StepEffect {
        void applyTo(NavigableMap<byte[], byte[]> m);
    }

    /** One step; {@code effect} is null for steps that change no content (rollback, checkpoint). */
    private record Step(String name, StepAction action, StepEffect effect) {
    }

    private static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(new Step("txn 1: 12 small puts", (st, o) -> {
            st.begin(true);
            for (int i = 0; i < 12; i++) {
                st.put(key("k" + i), value(i, 20 + i));
            }
            commit(st, o);
        }, m -> {
            for (int i = 0; i < 12; i++) {
                m.put(key("k" + i), value(i, 20 + i));
            }
        }));
        s.add(new Step("txn 2: autocommit put of a 3000-byte value", (st, o) -> {
            o.commitCalled = true;
            st.put(key("ov-a"), value(100, 3000));
        }, m -> m.put(key("ov-a"), value(100, 3000))));
        s.add(new Step("txn 3: two overflow values and three deletes", (st, o) -> {
            st.begin(true);
            st.put(key("ov-b"), value(101, 2500));
            st.put(key("ov-c"), value(102, 5000));
            st.delete(key("k1"));
            st.delete(key("k2"));
            st.delete(key("k3"));
            commit(st, o);
        }, m -> {
            m.put(key("ov-b"), value(101, 2500));
            m.put(key("ov-c"), value(102, 5000));
            m.remove(key("k1"));
            m.remove(key("k2"));
            m.remove(key("k3"));
        }));
        s.add(new Step("checkpoint(FULL)", (st, o) -> st.checkpoint(CheckpointMode.FULL), null));
        s.add(new Step("txn 4: 40 puts of 300 bytes (more pages than the cache holds), ov-a shrunk", (st, o) -> {
            st.begin(true);
            for (int i = 0; i < 40; i++) {
                st.put(key("m" + i), value(200 + i, 300));
            }
            st.put(key("ov-a"), value(103, 10));
            commit(st, o);
        }, m -> {
            for (int i = 0; i < 40; i++) {
                m.put(key("m" + i), value(200 + i, 300));
            }
            m.put(key("ov-a"), value(103, 10));
        }));
        s.add(new Step("rolled-back txn: overflow puts and deletes", (st, o) -> {
            st.begin(true);
            for (int i = 0; i < 5; i++) {
                st.put(key("rb" + i), value(300 + i, 2000));
            }
            st.delete(key("k4"));
            st.delete(key("ov-b"));
            st.rollback();
        }, null));
        s.add(new Step("txn 5: autocommit delete of a 5000-byte value", (st, o) -> {
            o.commitCalled = true;
            st.delete(key("ov-c"));
        }, m -> m.remove(key("ov-c"))));
        s.add(new Step("txn 6: 30 deletes and a 1500-byte put", (st, o) -> {
            st.begin(true);
            for (int i = 0; i < 30; i++) {
                st.delete(key("m" + i));
            }
            st.put(key("ov-d"), value(104, 1500));
            commit(st, o);
        }, m -> {
            for (int i = 0; i < 30; i++) {
                m.remove(key("m" + i));
            }
            m.put(key("ov-d"), value(104, 1500));
        }));
        s.add(new Step("checkpoint(TRUNCATE)", (st, o) -> st.checkpoint(CheckpointMode.TRUNCATE), null));
        s.add(new Step("txn 7: autocommit put", (st, o) -> {
            o.commitCalled = true;
            st.put(key("last"), value(105, 40));
        }, m -> m.put(key("last"), value(105, 40))));
        return s;
    }

    private static void commit(KVStore store, Outcome o) {
        o.commitCalled = true;
        store.commit();
    }

    private static KVStoreConfig.Builder config(JournalMode mode, SyncLevel sync) {
        return KVStoreConfig.builder().journalMode(mode).syncLevel(sync).pageSize(PAGE_SIZE).cacheSize(CACHE_PAGES);
    }

    /** Runs the steps until one fails, then rolls back an open transaction and closes, tolerating failures. */
    private static Outcome runWorkload(Path runDir, JournalMode mode, SyncLevel sync, Persistence persistence,
            FaultInjectingStorage storage) throws IOException {
        Files.createDirectories(runDir);
        Outcome o = new Outcome();
        KVStore store;
        try {
            store = KVStore.open(runDir.resolve("f.db"), config(mode, sync).storage(storage).build());
        } catch (KVException e) {
            recordFailure(o, e, "open", storage);
            return o;
        }
        try {
            for (Step step : steps()) {
                o.commitCalled = false;
                try {
                    step.action().run(store, o);
                } catch (KVException e) {
                    recordFailure(o, e, step.name(), storage);
                    if (step.effect() != null && o.commitCalled) {
                        o.inFlight = new TreeMap<>(o.committed);
                        step.effect().applyTo(o.inFlight);
                    }
                    break;
                } catch (RuntimeException e) {
                    throw new AssertionError("step '" + step.name() + "' raised " + e + " (fault: " + storage.fault()
                            + "); an I/O failure must raise KVException(IOERR)", e);
                }
                if (step.effect() != null) {
                    step.effect().applyTo(o.committed);
                }
            }
            if (o.surfaced != null) {
                try {
                    if (store.inTransaction()) {
                        store.rollback();
                    }
                } catch (KVException e) {
                    // tolerated: the store already failed
                }
                o.liveProblem = checkLiveStore(store, o, persistence);
            }
        } finally {
            try {
                store.close();
            } catch (KVException e) {
                if (o.surfaced == null) {
                    recordFailure(o, e, "close", storage);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("close() raised " + e + " (fault: " + storage.fault() + ")", e);
            }
        }
        return o;
    }

    private static void recordFailure(Outcome o, KVException e, String where, FaultInjectingStorage storage) {
        if (e.code() != ErrorCode.IOERR) {
            throw new AssertionError(where + " raised " + e.code() + " (" + e.getMessage() + ") after the fault "
                    + storage.fault() + "; an I/O failure must raise IOERR", e);
        }
        if (storage.fault() == null) {
            throw new AssertionError(where + " raised IOERR but no fault was injected", e);
        }
        o.surfaced = e;
        o.failedIn = where;
    }

    /**
     * After a failure the live store must read the last committed content until it is closed (or refuse reads
     * with a KVException, if it chose to stop serving). With a one-off fault the engine can undo a failed commit,
     * so only the committed content is right; when the disk is gone, a failed commit may also read as complete.
     */
    private static String checkLiveStore(KVStore store, Outcome o, Persistence persistence) {
        List<Map.Entry<byte[], byte[]>> live;
        try {
            live = StoreContents.read(store);
        } catch (KVException e) {
            return null;
        }
        String diff = StoreContents.difference(o.committed, live);
        if (diff == null) {
            return null;
        }
        boolean showsInFlight = o.inFlight != null && StoreContents.difference(o.inFlight, live) == null;
        if (showsInFlight && persistence == Persistence.FROM_THEN_ON) {
            return null;
        }
        return "the live store does not read the last committed content"
                + (showsInFlight ? ": it shows the failed transaction as committed" : ": " + diff);
    }

    /**
     * Reopens with the real file system and checks the content and the integrity check. Returns true when a
     * failed commit was found complete (allowed only with {@link Persistence#FROM_THEN_ON}).
     */
    private static boolean verifyReopened(Path runDir, JournalMode mode, SyncLevel sync, Outcome o,
            Persistence persistence) {
        try (KVStore store = KVStore.open(runDir.resolve("f.db"), config(mode, sync).build())) {
            List<Map.Entry<byte[], byte[]>> actual = StoreContents.read(store);
            String diff = StoreContents.difference(o.committed, actual);
            boolean landed = false;
            if (diff != null) {
                boolean isInFlight = o.inFlight != null && StoreContents.difference(o.inFlight, actual) == null;
                if (isInFlight && persistence == Persistence.FROM_THEN_ON) {
                    landed = true;
                } else if (isInFlight) {
                    throw new AssertionError("the transaction whose commit failed is present: the failed commit"
                            + " was not undone");
                } else {
                    throw new AssertionError("the content is neither the last committed content"
                            + (o.inFlight != null ? " nor the failed transaction's" : "") + ": " + diff);
                }
            }
            assertThat(store.count()).as("count()").isEqualTo(actual.size());
            assertThat(store.integrityCheck()).as("integrityCheck()").isEmpty();
            return landed;
        } catch (KVException e) {
            throw new AssertionError("reopening with the real file system failed: " + e, e);
        }
    }

    // ---- data --------------------------------------------------------------------------------------------

    private static NavigableMap<byte[], byte[]> emptyMap() {
        return new TreeMap<>(UnsignedBytesOrder.INSTANCE);
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Deterministic bytes: {@code size} bytes derived from {@code id}. */
    private static byte[] value(int id, int size) {
        byte[] b = new byte[size];
        long x = 0x9E3779B97F4A7C15L * (id + 1);
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
