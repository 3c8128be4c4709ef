package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KVStore#incrementalVacuum} against SQLite's own {@code PRAGMA incremental_vacuum}, run by the
 * {@code sqlite3} command-line tool on a copy of the same file: both give the same file, page for page (only
 * the change counter and the writer's version number in the header differ); the file SQLite vacuumed is
 * sound to our integrity check and holds the model's content; the file we vacuumed is sound to SQLite.
 *
 * <p>SQLite checks an SNKV file only when told where its b-trees are: SNKV's schema table is empty, so
 * {@code PRAGMA integrity_check} on the bare file calls every page of the families "never used". The check
 * therefore runs on a further copy whose schema table names the family table (meta slot 3) as a table and the
 * default family (meta slot 1) as an index on it, with {@code PRAGMA quick_check}: the same b-tree, free-list,
 * pointer-map and page-accounting checks as {@code integrity_check}, without comparing index entries with
 * table rows (the entries are not SQLite records). {@link #sqliteCheckCatchesABrokenPointerMap} shows that this
 * check fails when a pointer-map entry is wrong.
 *
 * <p>Skipped when {@code sqlite3} is not on the PATH. The seed is printed; {@code -Dsnkv.seed=<seed>} repeats.
 */
@Tag("interop")
class SqliteIncrementalVacuumTest {
    private static final long BASE_SEED = TestSeed.resolve("SqliteIncrementalVacuumTest");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsSqlite3() {
        String version = SqliteCli.version();
        assumeTrue(version.startsWith("3."), "the sqlite3 command-line tool is not on the PATH");
        System.out.println("[SqliteIncrementalVacuumTest] sqlite3 " + version);
    }

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
    void vacuumMatchesSqlite(JournalMode mode, int pageSize, int run) throws Exception {
        long seed = TestSeed.derive(BASE_SEED, run);
        String ctx = "seed " + seed + " (run " + run + " of -Dsnkv.seed=" + BASE_SEED + "), " + mode + ", " + pageSize;
        Path built = dir.resolve("built.db");
        TreeMap<byte[], byte[]> model = VacuumWorkload.build(built, seed, mode, pageSize, 600);
        VacuumWorkload.Header h = VacuumWorkload.Header.of(built);
        assertThat(h.freeCount()).as("%s: the workload leaves more than 5 free pages", ctx).isGreaterThan(5);
        Path ours = copy(built, "ours.db");
        Path theirs = copy(built, "theirs.db");

        // Five pages, then all the rest.
        for (int pages : new int[] {5, 0}) {
            String step = ctx + ", incremental_vacuum(" + pages + ")";
            VacuumWorkload.Header before = VacuumWorkload.Header.of(ours);
            SqliteCli.Run r = SqliteCli.exec(theirs, pages == 0 ? "PRAGMA incremental_vacuum;"
                    : "PRAGMA incremental_vacuum(" + pages + ");");
            assertThat(r.status()).as("%s: sqlite3 exit status (%s)", step, r.output()).isZero();
            int shrunk;
            try (KVStore s = KVStore.open(ours, VacuumWorkload.config(mode, pageSize))) {
                shrunk = s.incrementalVacuum(pages);
            }
            VacuumWorkload.Header a = VacuumWorkload.Header.of(ours);
            VacuumWorkload.Header b = VacuumWorkload.Header.of(theirs);
            assertThat(a.pageCount()).as("%s: our page count vs SQLite's", step).isEqualTo(b.pageCount());
            assertThat(shrunk).as("%s: pages reclaimed", step).isEqualTo(before.pageCount() - b.pageCount());
            assertThat(a.freeCount()).as("%s: our free count vs SQLite's", step).isEqualTo(b.freeCount())
                    .isEqualTo(pages == 0 ? 0 : before.freeCount() - pages);
            assertThat(a.firstTrunk()).as("%s: our first trunk vs SQLite's", step).isEqualTo(b.firstTrunk());
            assertSamePages(ours, theirs, pageSize, step);
        }

        try (KVStore s = KVStore.open(theirs, VacuumWorkload.config(mode, pageSize))) {
            assertThat(s.integrityCheck()).as("%s: our integrity check of the file SQLite vacuumed", ctx).isEmpty();
            StoreContents.assertEquals(model, s, ctx + ", the file SQLite vacuumed");
        }
        assertThat(sqliteCheck(ours)).as("%s: SQLite's check of the file we vacuumed", ctx).isEqualTo("ok");
    }

    /** Files the C library wrote: its free list, its page placement, column families with their own roots. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"freelist.db", "cf.db"})
    void goldenFileVacuumMatchesSqlite(String name) throws Exception {
        Path ours = GoldenFiles.copy(name, dir.resolve("ours"));
        Path theirs = GoldenFiles.copy(name, dir.resolve("theirs"));
        VacuumWorkload.Header h = VacuumWorkload.Header.of(ours);
        assertThat(h.freeCount()).as("%s has free pages", name).isPositive();
        TreeMap<byte[], byte[]> content = new TreeMap<>(UnsignedBytesOrder.INSTANCE);
        int shrunk;
        try (KVStore s = KVStore.open(ours)) {
            for (var e : StoreContents.read(s)) {
                content.put(e.getKey(), e.getValue());
            }
            shrunk = s.incrementalVacuum(0);
            assertThat(s.integrityCheck()).as("%s: our integrity check after vacuum", name).isEmpty();
            StoreContents.assertEquals(content, s, name + " after vacuum");
        }
        SqliteCli.Run r = SqliteCli.exec(theirs, "PRAGMA incremental_vacuum;");
        assertThat(r.status()).as("%s: sqlite3 exit status (%s)", name, r.output()).isZero();
        VacuumWorkload.Header b = VacuumWorkload.Header.of(theirs);
        assertThat(b.freeCount()).as("%s: SQLite's free count", name).isZero();
        assertThat(shrunk).as("%s: pages reclaimed, ours vs SQLite's", name).isEqualTo(h.pageCount() - b.pageCount());
        assertSamePages(ours, theirs, h.pageSize(), name);
    }

    @Test
    void sqliteCheckCatchesABrokenPointerMap() throws Exception {
        long seed = TestSeed.derive(BASE_SEED, 100);
        Path db = dir.resolve("broken.db");
        VacuumWorkload.build(db, seed, JournalMode.DELETE, 4096, 200);
        try (KVStore s = KVStore.open(db, VacuumWorkload.config(JournalMode.DELETE, 4096))) {
            s.incrementalVacuum(0);
        }
        assertThat(sqliteCheck(db)).as("seed %s: the sound file", seed).isEqualTo("ok");
        // Page 5's pointer-map entry (page 2, entry 2) names a wrong parent.
        byte[] entry = FileEdits.read(db, 4096 + 5 * 2, 5);
        FileEdits.putInt(db, 4096 + 5 * 2 + 1, ((entry[1] & 0xff) << 24 | (entry[2] & 0xff) << 16
                | (entry[3] & 0xff) << 8 | (entry[4] & 0xff)) + 1);
        assertThat(sqliteCheck(db)).as("seed %s: SQLite's check of a broken pointer map", seed).isNotEqualTo("ok");
    }

    /** SQLite's quick_check of a copy of {@code db} whose schema table names SNKV's b-trees (see the class doc). */
    private String sqliteCheck(Path db) throws IOException, InterruptedException {
        VacuumWorkload.Header h = VacuumWorkload.Header.of(db);
        Path check = copy(db, "check.db");
        SqliteCli.Run schema = SqliteCli.exec(check, "PRAGMA writable_schema=ON;"
                + "INSERT INTO sqlite_schema VALUES('table','snkv_families','snkv_families'," + h.metadataRoot()
                + ",'CREATE TABLE snkv_families(x)');"
                + "INSERT INTO sqlite_schema VALUES('index','snkv_default','snkv_families'," + h.defaultRoot()
                + ",'CREATE INDEX snkv_default ON snkv_families(x)');");
        assertThat(schema.status()).as("sqlite3 describing the b-trees: %s", schema.output()).isZero();
        SqliteCli.Run r = SqliteCli.exec(check, "PRAGMA quick_check;");
        assertThat(r.status()).as("sqlite3 quick_check: %s", r.output()).isZero();
        return r.output().trim();
    }

    private Path copy(Path from, String name) throws IOException {
        return Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The two files hold the same bytes, except in the header the change counter (offset 24), the
     * version-valid-for number (92) and the writer's SQLite version (96), which say who wrote last.
     */
    private static void assertSamePages(Path a, Path b, int pageSize, String ctx) throws IOException {
        byte[] x = Files.readAllBytes(a);
        byte[] y = Files.readAllBytes(b);
        assertThat(x.length).as("%s: file length, ours vs SQLite's", ctx).isEqualTo(y.length);
        for (int[] masked : new int[][] {{24, 4}, {92, 8}}) {
            for (int i = masked[0]; i < masked[0] + masked[1]; i++) {
                x[i] = 0;
                y[i] = 0;
            }
        }
        int at = java.util.Arrays.mismatch(x, y);
        assertThat(at).as("%s: first differing byte, ours vs SQLite's (page %s, offset %s)", ctx,
                at < 0 ? 0 : at / pageSize + 1, at < 0 ? 0 : at % pageSize).isEqualTo(-1);
    }
}
