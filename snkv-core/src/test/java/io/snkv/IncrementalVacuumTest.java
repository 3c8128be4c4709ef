package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KVStore#incrementalVacuum}: after a seeded workload of large and small values, most of them
 * deleted, vacuuming leaves no free page, a sound file (our integrity check), the same content as a
 * {@link TreeMap} model, before and after reopening; a partial vacuum of n pages takes exactly n pages off the
 * free list and shrinks the file as SQLite's step rule says. The seed is printed; {@code -Dsnkv.seed=<seed>}
 * repeats the runs.
 */
class IncrementalVacuumTest {
    private static final long BASE_SEED = TestSeed.resolve("IncrementalVacuumTest");

    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        int run = 0;
        for (JournalMode mode : new JournalMode[] {JournalMode.WAL, JournalMode.DELETE}) {
            for (int pageSize : new int[] {512, 1024, 4096, 65536}) {
                out.add(arguments(mode, pageSize, run++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "run {2}: {0} journal, page size {1}")
    @MethodSource("configs")
    void vacuumAllLeavesNoFreePages(JournalMode mode, int pageSize, int run) throws IOException {
        long seed = TestSeed.derive(BASE_SEED, run);
        String ctx = "seed " + seed + " (run " + run + " of -Dsnkv.seed=" + BASE_SEED + "), " + mode + ", " + pageSize;
        Path db = dir.resolve("vacuum.db");
        TreeMap<byte[], byte[]> model = VacuumWorkload.build(db, seed, mode, pageSize, 1200);
        VacuumWorkload.Header before = VacuumWorkload.Header.of(db);
        assertThat(before.freeCount()).as("%s: the workload leaves free pages", ctx).isGreaterThan(0);

        int shrunk;
        try (KVStore s = KVStore.open(db, VacuumWorkload.config(mode, pageSize))) {
            shrunk = s.incrementalVacuum(0);
            assertThat(s.integrityCheck()).as("%s: integrity check after vacuum", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", after vacuum");
        }
        VacuumWorkload.Header after = VacuumWorkload.Header.of(db);
        assertThat(after.freeCount()).as("%s: free pages after vacuum (header offset 36)", ctx).isZero();
        assertThat(after.firstTrunk()).as("%s: first trunk after vacuum (header offset 32)", ctx).isZero();
        assertThat(shrunk).as("%s: pages reclaimed", ctx).isGreaterThanOrEqualTo(before.freeCount());
        assertThat(after.pageCount()).as("%s: page count (header offset 28)", ctx)
                .isEqualTo(before.pageCount() - shrunk)
                .isEqualTo(sizeAfter(before.pageCount(), before.freeCount(), pageSize));
        assertThat(after.fileLength()).as("%s: file length", ctx).isEqualTo((long) after.pageCount() * pageSize);

        try (KVStore s = KVStore.open(db, VacuumWorkload.config(mode, pageSize))) {
            assertThat(s.integrityCheck()).as("%s: integrity check after reopening", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", after reopening");
            assertThat(s.incrementalVacuum(0)).as("%s: a second vacuum has nothing to do", ctx).isZero();
            // The file grows again from its new end.
            byte[] v = new byte[VacuumWorkload.MAX_VALUE];
            new Random(seed).nextBytes(v);
            s.put(new byte[] {1, 2, 3}, v);
            model.put(new byte[] {1, 2, 3}, v);
            assertThat(s.integrityCheck()).as("%s: integrity check after growing again", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", after growing again");
        }
    }

    static Stream<Arguments> partialConfigs() {
        return Stream.of(arguments(JournalMode.WAL, 512, 20), arguments(JournalMode.DELETE, 1024, 21),
                arguments(JournalMode.WAL, 4096, 22), arguments(JournalMode.DELETE, 65536, 23));
    }

    @ParameterizedTest(name = "run {2}: {0} journal, page size {1}")
    @MethodSource("partialConfigs")
    void vacuumOfNPagesReclaimsExactlyN(JournalMode mode, int pageSize, int run) throws IOException {
        long seed = TestSeed.derive(BASE_SEED, run);
        String ctx = "seed " + seed + " (run " + run + " of -Dsnkv.seed=" + BASE_SEED + "), " + mode + ", " + pageSize;
        Random rnd = new Random(seed ^ 0x5EED);
        Path db = dir.resolve("partial.db");
        TreeMap<byte[], byte[]> model = VacuumWorkload.build(db, seed, mode, pageSize, 800);
        VacuumWorkload.Header h = VacuumWorkload.Header.of(db);
        int rounds = 0;
        while (h.freeCount() > 1) {
            int n = 1 + rnd.nextInt(Math.min(h.freeCount() - 1, rounds == 0 ? 5 : h.freeCount() / 2 + 1));
            String step = ctx + ", round " + rounds + ": vacuum(" + n + ") of " + h.freeCount() + " free pages";
            int shrunk;
            try (KVStore s = KVStore.open(db, VacuumWorkload.config(mode, pageSize))) {
                shrunk = s.incrementalVacuum(n);
                assertThat(s.integrityCheck()).as("%s: integrity check", step).isEmpty();
                StoreContents.assertEquals(model, s, step);
            }
            VacuumWorkload.Header next = VacuumWorkload.Header.of(db);
            assertThat(next.freeCount()).as("%s: free pages left", step).isEqualTo(h.freeCount() - n);
            assertThat(next.pageCount()).as("%s: page count", step)
                    .isEqualTo(h.pageCount() - shrunk)
                    .isEqualTo(sizeAfter(h.pageCount(), n, pageSize));
            assertThat(next.fileLength()).as("%s: file length", step).isEqualTo((long) next.pageCount() * pageSize);
            h = next;
            rounds++;
        }
        try (KVStore s = KVStore.open(db, VacuumWorkload.config(mode, pageSize))) {
            int rest = h.freeCount();
            assertThat(s.incrementalVacuum(rest + 10)).as("%s: asking for more than there is", ctx)
                    .isEqualTo(h.pageCount() - sizeAfter(h.pageCount(), rest, pageSize));
            assertThat(s.integrityCheck()).as("%s: final integrity check", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", at the end");
        }
        assertThat(VacuumWorkload.Header.of(db).freeCount()).as("%s: free pages at the end", ctx).isZero();
    }

    @Test
    void vacuumJoinsTheOpenWriteTransaction() throws IOException {
        long seed = TestSeed.derive(BASE_SEED, 30);
        String ctx = "seed " + seed + " (run 30 of -Dsnkv.seed=" + BASE_SEED + ")";
        Path db = dir.resolve("txn.db");
        TreeMap<byte[], byte[]> model = VacuumWorkload.build(db, seed, JournalMode.WAL, 1024, 500);
        VacuumWorkload.Header before = VacuumWorkload.Header.of(db);
        byte[] original = Files.readAllBytes(db);
        KVStoreConfig config = VacuumWorkload.config(JournalMode.WAL, 1024);
        try (KVStore s = KVStore.open(db, config)) {
            // Rolled back: nothing changes.
            s.begin(true);
            assertThat(s.incrementalVacuum(0)).as(ctx).isPositive();
            assertThat(s.integrityCheck()).as("%s: inside the transaction", ctx).isEmpty();
            s.rollback();
            assertThat(s.integrityCheck()).as("%s: after rollback", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", after rollback");
        }
        assertThat(Files.readAllBytes(db)).as("%s: the file after a rolled-back vacuum", ctx).isEqualTo(original);

        try (KVStore s = KVStore.open(db, config)) {
            // An iterator inside the transaction keeps its place across the vacuum, which moves pages under it.
            s.begin(true);
            List<byte[]> seen = new ArrayList<>();
            try (KVIterator it = s.iterator()) {
                boolean ok = it.first();
                for (int i = 0; ok && i < model.size() / 2; i++) {
                    seen.add(it.key());
                    ok = it.next();
                }
                int shrunk = s.incrementalVacuum(0);
                assertThat(shrunk).as(ctx).isEqualTo(before.pageCount() - sizeAfter(before.pageCount(),
                        before.freeCount(), 1024));
                for (; ok; ok = it.next()) {
                    seen.add(it.key());
                }
            }
            assertThat(seen).as("%s: keys seen across the vacuum", ctx).containsExactlyElementsOf(model.keySet());
            s.put(new byte[] {9}, new byte[3000]);
            model.put(new byte[] {9}, new byte[3000]);
            s.commit();
            assertThat(s.integrityCheck()).as("%s: after commit", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", after commit");
        }
        VacuumWorkload.Header after = VacuumWorkload.Header.of(db);
        assertThat(after.freeCount()).as(ctx).isZero();
        assertThat(after.pageCount()).as(ctx).isLessThan(before.pageCount());
    }

    @Test
    void misuse() {
        Path db = dir.resolve("misuse.db");
        try (KVStore s = KVStore.open(db)) {
            assertThat(s.incrementalVacuum(0)).as("a new file has no free pages").isZero();
            assertThatThrownBy(() -> s.incrementalVacuum(-1)).isInstanceOfSatisfying(KVException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.MISUSE));
            s.begin(false);
            assertThatThrownBy(() -> s.incrementalVacuum(0)).isInstanceOf(ReadOnlyException.class);
            s.rollback();
        }
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            assertThatThrownBy(() -> s.incrementalVacuum(0)).isInstanceOf(ReadOnlyException.class);
        }
    }

    /**
     * The page count after {@code n} steps of SQLite's incremental vacuum from {@code pageCount} pages: each
     * step takes the last page off (it is never a pointer-map or lock page), then the file ends before any
     * pointer-map page or lock page that would now be last. Written here from the file format, not the engine.
     */
    static int sizeAfter(int pageCount, int n, int pageSize) {
        int p = pageCount;
        for (int i = 0; i < n; i++) {
            do {
                p--;
            } while (special(p, pageSize));
        }
        return p;
    }

    /** Pointer-map page or lock page (the page holding byte offset 1 GiB). */
    private static boolean special(int p, int pageSize) {
        int lock = (1 << 30) / pageSize + 1;
        if (p == lock) {
            return true;
        }
        int span = pageSize / 5 + 1; // one map page, then the pages it describes (reserved bytes are 0)
        if (p < 2) {
            return false;
        }
        int map = (p - 2) / span * span + 2;
        return (map == lock ? map + 1 : map) == p;
    }
}
