package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives a store with a seeded random mix of operations and checks every answer against a {@link TreeMap}
 * model ordered as SNKV orders keys. The seed is printed; {@code -Dsnkv.seed=<seed>} repeats the runs,
 * {@code -Dsnkv.model.run=<n>} picks one, {@code -Dsnkv.model.ops} / {@code -Dsnkv.model.seconds} change
 * their length (both bound every run; a run that hits the time bound stops early and says so).
 */
@Tag("slow")
class ModelBasedStoreTest {
    private static final long BASE_SEED = TestSeed.resolve("ModelBasedStoreTest");
    private static final int OPS_PER_RUN = Integer.getInteger("snkv.model.ops", 3000);
    private static final long SECONDS_PER_RUN = Long.getLong("snkv.model.seconds", 8);
    /** When the model holds more than this, the run deletes its largest values (keeps memory and time bounded). */
    private static final long MODEL_BYTES_SOFT_LIMIT = 24L << 20;
    /** Full iterations stop (replaced by count()) once a run has iterated this many bytes. */
    private static final long ITERATION_BYTES_PER_RUN = 768L << 20;
    private static final int MIB = 1024 * 1024;
    /** {@code -Dsnkv.model.run=<n>} runs only run n (with the same seeds as in the full set). */
    private static final Integer ONLY_RUN = Integer.getInteger("snkv.model.run");

    @TempDir
    Path dir;

    /**
     * Each run: journal mode, whether reopening switches it, page size, sync level, run number. Several runs use
     * SyncLevel.OFF: fsyncs make no difference to what the model checks (the crash and fault-injection tests
     * cover them), and in rollback-journal mode they would cut a run to a third of its operations.
     */
    static Stream<Arguments> runs() {
        return Stream.of(
                arguments(JournalMode.WAL, false, 512, SyncLevel.NORMAL, 0),
                arguments(JournalMode.WAL, false, 1024, SyncLevel.NORMAL, 1),
                arguments(JournalMode.WAL, false, 4096, SyncLevel.NORMAL, 2),
                arguments(JournalMode.WAL, false, 65536, SyncLevel.NORMAL, 3),
                arguments(JournalMode.DELETE, false, 512, SyncLevel.OFF, 4),
                arguments(JournalMode.DELETE, false, 1024, SyncLevel.OFF, 5),
                arguments(JournalMode.DELETE, false, 4096, SyncLevel.NORMAL, 6),
                arguments(JournalMode.DELETE, false, 65536, SyncLevel.OFF, 7),
                arguments(JournalMode.WAL, true, 4096, SyncLevel.OFF, 8))
                .filter(a -> ONLY_RUN == null || ONLY_RUN.equals(a.get()[4]));
    }

    @ParameterizedTest(name = "run {4}: {0} journal (switch mode on reopen: {1}), page size {2}, sync {3}")
    @MethodSource("runs")
    void storeMatchesModel(JournalMode mode, boolean switchModeOnReopen, int pageSize, SyncLevel sync, int run) {
        long seed = TestSeed.derive(BASE_SEED, run);
        new ModelRun(seed, run, mode, switchModeOnReopen, pageSize, sync, dir.resolve("model.db")).run();
    }

    // ---- limits and misuse -------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void keyOverTheLimitIsTooBig(JournalMode mode) {
        try (KVStore store = KVStore.open(dir.resolve("k.db"), KVStoreConfig.builder().journalMode(mode).build())) {
            byte[] tooLong = new byte[64 * 1024 + 1];
            assertTooBig(() -> store.put(tooLong, new byte[] {1}), "65536", "64 KiB", "64KiB");
            assertTooBig(() -> store.putIfAbsent(tooLong, new byte[] {1}), "65536", "64 KiB", "64KiB");
            assertThat(store.count()).isZero();

            byte[] longest = new byte[64 * 1024];
            Arrays.fill(longest, (byte) 0xFF);
            store.put(longest, new byte[] {7});
            assertThat(store.get(longest)).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.integrityCheck()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void valueOverTheLimitIsTooBig(JournalMode mode) {
        try (KVStore store = KVStore.open(dir.resolve("v.db"), KVStoreConfig.builder().journalMode(mode).build())) {
            byte[] key = "big".getBytes(StandardCharsets.US_ASCII);
            byte[] tooBig = new byte[10 * MIB + 1];
            assertTooBig(() -> store.put(key, tooBig), "10485760", "10 MiB", "10MiB");
            assertTooBig(() -> store.putIfAbsent(key, tooBig), "10485760", "10 MiB", "10MiB");
            assertThat(store.exists(key)).isFalse();

            byte[] largest = new RandomPayloads(new Random(1), 4096).hugeValue(10 * MIB);
            store.put(key, largest);
            assertThat(store.get(key)).hasValueSatisfying(v -> assertThat(Arrays.equals(v, largest)).isTrue());
            assertThat(store.integrityCheck()).isEmpty();
        }
    }

    @Test
    void configuredLimitsAreEnforcedAndNamed() {
        KVStoreConfig config = KVStoreConfig.builder().maxKeySize(100).maxValueSize(3000).build();
        try (KVStore store = KVStore.open(dir.resolve("l.db"), config)) {
            assertTooBig(() -> store.put(new byte[101], new byte[1]), "100");
            assertTooBig(() -> store.put(new byte[1], new byte[3001]), "3000");
            store.put(new byte[100], new byte[3000]);
            assertThat(store.count()).isEqualTo(1);
        }
    }

    @Test
    void nullKeyIsNullPointer() {
        try (KVStore store = KVStore.open(dir.resolve("n.db"))) {
            assertThatThrownBy(() -> store.put((byte[]) null, new byte[1])).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.delete((byte[]) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.exists((byte[]) null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void useAfterCloseIsIllegalState() {
        KVStore store = KVStore.open(dir.resolve("c.db"));
        byte[] k = {1};
        store.put(k, k);
        store.close();
        store.close(); // idempotent
        List<Runnable> calls = List.of(
                () -> store.put(k, k),
                () -> store.get(k),
                () -> store.delete(k),
                () -> store.exists(k),
                () -> store.putIfAbsent(k, k),
                store::count,
                store::iterator,
                () -> store.begin(true),
                store::commit,
                store::rollback,
                () -> store.checkpoint(CheckpointMode.PASSIVE),
                store::sync,
                store::integrityCheck);
        for (int i = 0; i < calls.size(); i++) {
            Throwable t = catchThrowable(calls.get(i)::run);
            assertThat(t).as("call #%d after close", i).isInstanceOf(IllegalStateException.class);
        }
    }

    private static void assertTooBig(Runnable call, String... limitSpellings) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOf(KVException.class);
        KVException e = (KVException) t;
        assertThat(e.code()).as("error code of %s", e).isEqualTo(ErrorCode.TOOBIG);
        assertThat(e.getMessage()).as("the message should name the limit").containsAnyOf(limitSpellings);
    }

    // ---- the model-based run -----------------------------------------------------------------------------

    /** One seeded run: a store, its model, and a bounded history of recent operations for failure reports. */
    private static final class ModelRun {
        private enum Op { PUT, PUT_IF_ABSENT, DELETE, GET, EXISTS, COUNT, ITERATE, WRITE_TXN_COMMIT, WRITE_TXN_ROLLBACK,
            READ_TXN, CHECKPOINT, REOPEN, HUGE_PUT, TRIM }

        private final long seed;
        private final int run;
        private final Random rnd;
        private final int pageSize;
        private final boolean switchModeOnReopen;
        private final int cacheSize;
        private final SyncLevel sync;
        /** Automatic checkpoint every this many commits (0: none), chosen from the seed. */
        private final int walSizeLimit;
        private final Path db;
        private final RandomPayloads payloads;
        private JournalMode mode;
        private KVStore store;
        private TreeMap<byte[], byte[]> model = new TreeMap<>(UnsignedBytesOrder.INSTANCE);
        private long modelBytes;
        private long iteratedBytes;
        private final List<byte[]> knownKeys = new ArrayList<>();
        private final Set<Integer> hugeAt = new HashSet<>();
        private final Deque<String> recent = new ArrayDeque<>();
        private final Map<Op, Integer> stats = new EnumMap<>(Op.class);
        private int opIndex;
        private boolean firstHuge = true;

        ModelRun(long seed, int run, JournalMode mode, boolean switchModeOnReopen, int pageSize, SyncLevel sync,
                Path db) {
            this.sync = sync;
            this.seed = seed;
            this.run = run;
            this.rnd = new Random(seed);
            this.mode = mode;
            this.switchModeOnReopen = switchModeOnReopen;
            this.pageSize = pageSize;
            this.db = db;
            this.payloads = new RandomPayloads(rnd, pageSize);
            this.cacheSize = new int[] {10, 64, 2000}[rnd.nextInt(3)];
            this.walSizeLimit = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(40) : 0;
            int huge = 2 + rnd.nextInt(2);
            while (hugeAt.size() < huge) {
                hugeAt.add(rnd.nextInt(Math.min(OPS_PER_RUN, 1200)));
            }
        }

        void run() {
            long started = System.nanoTime();
            long deadline = started + SECONDS_PER_RUN * 1_000_000_000L;
            String header = "run " + run + " seed " + seed + " (-Dsnkv.seed=" + BASE_SEED + "), " + mode
                    + (switchModeOnReopen ? " switching journal mode on reopen" : "") + ", sync " + sync + ", page size " + pageSize
                    + ", cache " + cacheSize + " pages, walSizeLimit " + walSizeLimit;
            System.out.println("[ModelBasedStoreTest] " + header);
            try {
                open();
                for (opIndex = 0; opIndex < OPS_PER_RUN && System.nanoTime() < deadline; opIndex++) {
                    step();
                }
                note("final verification");
                verifyAll("end of run");
                reopen();
                assertThat(store.integrityCheck()).as("integrityCheck() at the end of the run").isEmpty();
                store.close();
            } catch (Throwable t) {
                throw new AssertionError(header + ": failed at operation #" + opIndex + ": " + t
                        + "\nrecent operations (oldest first):\n  " + String.join("\n  ", recent), t);
            } finally {
                if (store != null) {
                    try {
                        store.close();
                    } catch (RuntimeException ignored) {
                        // already failing
                    }
                }
            }
            System.out.printf("[ModelBasedStoreTest] run %d done: %d operations%s in %d ms, %d entries at the end, %s%n",
                    run, opIndex, opIndex < OPS_PER_RUN ? " (stopped by the time bound)" : "",
                    (System.nanoTime() - started) / 1_000_000, model.size(), stats);
        }

        private KVStoreConfig config() {
            return KVStoreConfig.builder().journalMode(mode).syncLevel(sync).pageSize(pageSize).cacheSize(cacheSize)
                    .walSizeLimit(walSizeLimit).build();
        }

        private void open() {
            store = KVStore.open(db, config());
        }

        private void step() {
            if (hugeAt.contains(opIndex)) {
                hugePut();
                return;
            }
            if (modelBytes > MODEL_BYTES_SOFT_LIMIT) {
                trim();
                return;
            }
            int r = rnd.nextInt(1000);
            if (r < 240) {
                put(false);
            } else if (r < 310) {
                putIfAbsent(false);
            } else if (r < 430) {
                delete();
            } else if (r < 600) {
                get();
            } else if (r < 680) {
                exists();
            } else if (r < 700) {
                count();
            } else if (r < 712) {
                iterate("iteration");
            } else if (r < 900) {
                writeTransaction();
            } else if (r < 930) {
                readTransaction();
            } else if (r < 945) {
                checkpoint();
            } else if (r < 952) {
                reopen();
            } else {
                overwriteAndRead();
            }
        }

        // -- single operations, each checked against the model --

        private void put(boolean inTxn) {
            byte[] k = pickKey();
            byte[] v = payloads.value(k.length, !inTxn || rnd.nextInt(10) == 0);
            note("put " + StoreContents.describe(k) + " value " + v.length + " bytes");
            store.put(k, v);
            modelPut(k, v);
            bump(Op.PUT);
        }

        private void putIfAbsent(boolean inTxn) {
            byte[] k = pickKey();
            byte[] v = payloads.value(k.length, !inTxn);
            boolean expected = !model.containsKey(k);
            note("putIfAbsent " + StoreContents.describe(k) + " value " + v.length + " bytes, expect " + expected);
            assertThat(store.putIfAbsent(k, v)).as("putIfAbsent result").isEqualTo(expected);
            if (expected) {
                modelPut(k, v);
            }
            bump(Op.PUT_IF_ABSENT);
        }

        private void delete() {
            byte[] k = pickKey();
            boolean expected = model.containsKey(k);
            note("delete " + StoreContents.describe(k) + ", expect " + expected);
            assertThat(store.delete(k)).as("delete result").isEqualTo(expected);
            modelRemove(k);
            bump(Op.DELETE);
        }

        private void get() {
            byte[] k = pickKey();
            note("get " + StoreContents.describe(k));
            checkGet(k);
            bump(Op.GET);
        }

        private void checkGet(byte[] k) {
            byte[] expected = model.get(k);
            Optional<byte[]> actual = store.get(k);
            if (expected == null) {
                assertThat(actual).as("get of absent key %s", StoreContents.describe(k)).isEmpty();
            } else {
                assertThat(actual).as("get of present key %s", StoreContents.describe(k)).isPresent();
                if (!Arrays.equals(expected, actual.get())) {
                    throw new AssertionError("get " + StoreContents.describe(k) + ": expected "
                            + StoreContents.describe(expected) + " but got " + StoreContents.describe(actual.get())
                            + " (first difference at byte " + Arrays.mismatch(expected, actual.get()) + ")");
                }
            }
        }

        private void exists() {
            byte[] k = pickKey();
            note("exists " + StoreContents.describe(k));
            assertThat(store.exists(k)).as("exists %s", StoreContents.describe(k)).isEqualTo(model.containsKey(k));
            bump(Op.EXISTS);
        }

        private void count() {
            note("count, expect " + model.size());
            assertThat(store.count()).as("count()").isEqualTo(model.size());
            bump(Op.COUNT);
        }

        private void iterate(String what) {
            if (iteratedBytes > ITERATION_BYTES_PER_RUN) {
                count();
                return;
            }
            iteratedBytes += modelBytes;
            note(what + " of " + model.size() + " entries");
            StoreContents.assertEquals(model, store, what);
            bump(Op.ITERATE);
        }

        private void overwriteAndRead() {
            if (model.isEmpty()) {
                put(false);
                return;
            }
            byte[] k = knownPresentKey();
            byte[] v = payloads.value(k.length, true);
            note("overwrite " + StoreContents.describe(k) + " (was " + model.get(k).length + " bytes) with "
                    + v.length + " bytes, then get");
            store.put(k, v);
            modelPut(k, v);
            checkGet(k);
            bump(Op.PUT);
        }

        private void hugePut() {
            int size = firstHuge ? 10 * MIB : 5 * MIB + rnd.nextInt(5 * MIB + 1);
            firstHuge = false;
            byte[] k = pickKey();
            byte[] v = payloads.hugeValue(size);
            note("put " + StoreContents.describe(k) + " HUGE value " + size + " bytes, then get");
            store.put(k, v);
            modelPut(k, v);
            checkGet(k);
            bump(Op.HUGE_PUT);
        }

        /** Deletes the largest values in one transaction until the model is half the soft limit. */
        private void trim() {
            List<byte[]> bySize = new ArrayList<>(model.keySet());
            bySize.sort((a, b) -> Integer.compare(model.get(b).length, model.get(a).length));
            note("trim: delete the largest values in one transaction (model holds " + modelBytes + " bytes)");
            store.begin(true);
            for (byte[] k : bySize) {
                if (modelBytes <= MODEL_BYTES_SOFT_LIMIT / 2) {
                    break;
                }
                assertThat(store.delete(k)).as("delete of present key during trim").isTrue();
                modelRemove(k);
            }
            store.commit();
            bump(Op.TRIM);
        }

        // -- transactions --

        private void writeTransaction() {
            boolean commit = rnd.nextInt(10) < 7;
            int ops = 1 + rnd.nextInt(20);
            TreeMap<byte[], byte[]> before = new TreeMap<>(model);
            long bytesBefore = modelBytes;
            note("begin(write) for " + ops + " operations, then " + (commit ? "commit" : "rollback"));
            store.begin(true);
            assertThat(store.inTransaction()).as("inTransaction() after begin").isTrue();
            for (int i = 0; i < ops; i++) {
                int r = rnd.nextInt(100);
                if (r < 35) {
                    put(true);
                } else if (r < 45) {
                    putIfAbsent(true);
                } else if (r < 65) {
                    delete();
                } else if (r < 85) {
                    get();
                } else if (r < 93) {
                    exists();
                } else {
                    count();
                }
            }
            if (rnd.nextInt(12) == 0) {
                iterate("iteration inside a write transaction");
            }
            if (commit) {
                note("commit");
                store.commit();
                bump(Op.WRITE_TXN_COMMIT);
            } else {
                note("rollback");
                store.rollback();
                model = before;
                modelBytes = bytesBefore;
                bump(Op.WRITE_TXN_ROLLBACK);
            }
            assertThat(store.inTransaction()).as("inTransaction() after commit/rollback").isFalse();
            if (!commit || rnd.nextInt(4) == 0) {
                count();
                for (int i = 0; i < 3; i++) {
                    get();
                }
            }
        }

        private void readTransaction() {
            note("begin(read)");
            store.begin(false);
            int ops = 1 + rnd.nextInt(6);
            for (int i = 0; i < ops; i++) {
                switch (rnd.nextInt(3)) {
                    case 0 -> get();
                    case 1 -> exists();
                    default -> count();
                }
            }
            if (rnd.nextBoolean()) {
                note("commit (read)");
                store.commit();
            } else {
                note("rollback (read)");
                store.rollback();
            }
            assertThat(store.inTransaction()).isFalse();
            bump(Op.READ_TXN);
        }

        // -- maintenance --

        private void checkpoint() {
            CheckpointMode cm = CheckpointMode.values()[rnd.nextInt(CheckpointMode.values().length)];
            note("checkpoint(" + cm + ") in " + mode);
            CheckpointResult result = store.checkpoint(cm);
            if (mode == JournalMode.WAL) {
                assertThat(result.framesInLog()).as("framesInLog").isGreaterThanOrEqualTo(0);
                assertThat(result.framesCheckpointed()).as("framesCheckpointed").isGreaterThanOrEqualTo(0);
                if (cm == CheckpointMode.FULL) {
                    assertThat(result.framesCheckpointed()).as("FULL checkpoint with no readers copies every frame")
                            .isEqualTo(result.framesInLog());
                }
                Path wal = Path.of(db + "-wal");
                if (cm == CheckpointMode.TRUNCATE && Files.exists(wal)) {
                    assertThat(fileSize(wal)).as("WAL size after checkpoint(TRUNCATE)").isZero();
                }
            }
            bump(Op.CHECKPOINT);
            if (rnd.nextInt(3) == 0) {
                iterate("iteration after checkpoint");
            }
        }

        private void reopen() {
            note("close and reopen");
            store.close();
            assertThat(Path.of(db + "-wal")).as("the WAL is deleted by close").doesNotExist();
            assertThat(Path.of(db + "-journal")).as("no journal is left by close").doesNotExist();
            if (switchModeOnReopen) {
                mode = mode == JournalMode.WAL ? JournalMode.DELETE : JournalMode.WAL;
                note("reopening in " + mode);
            }
            open();
            verifyAll("after reopen");
            List<String> problems = store.integrityCheck();
            assertThat(problems).as("integrityCheck() after reopen").isEmpty();
            bump(Op.REOPEN);
        }

        private void verifyAll(String when) {
            StoreContents.assertEquals(model, store, when);
            count();
        }

        // -- model bookkeeping --

        private byte[] pickKey() {
            if (!knownKeys.isEmpty() && rnd.nextInt(100) < 55) {
                return knownKeys.get(rnd.nextInt(knownKeys.size()));
            }
            byte[] k = payloads.key(64 * 1024);
            if (knownKeys.size() < 4000) {
                knownKeys.add(k);
            } else {
                knownKeys.set(rnd.nextInt(knownKeys.size()), k);
            }
            return k;
        }

        private byte[] knownPresentKey() {
            byte[] probe = payloads.key(64 * 1024);
            byte[] k = model.ceilingKey(probe);
            return k != null ? k : model.firstKey();
        }

        private void modelPut(byte[] k, byte[] v) {
            byte[] old = model.put(k, v);
            modelBytes += k.length + v.length - (old == null ? 0 : k.length + old.length);
        }

        private void modelRemove(byte[] k) {
            byte[] old = model.remove(k);
            if (old != null) {
                modelBytes -= k.length + old.length;
            }
        }

        private void note(String what) {
            if (recent.size() == 40) {
                recent.removeFirst();
            }
            recent.addLast("#" + opIndex + " " + what);
        }

        private void bump(Op op) {
            stats.merge(op, 1, Integer::sum);
        }

        private static long fileSize(Path p) {
            try {
                return Files.size(p);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

}
