package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by the C SNKV library open and read exactly as its manifest says, accept writes, and
 * still read exactly (with a clean integrity check) after a reopen. Only each file's {@code default}
 * column family is checked: the public API has no other family. Every test opens a copy.
 */
@Timeout(120)
class GoldenCompatibilityTest {
    private static final String DEFAULT_CF = "default";

    /** A golden file and the journal mode to open it with. */
    record GoldenCase(String file, JournalMode mode) {
        @Override
        public String toString() {
            return file + " (" + mode + ")";
        }

        KVStoreConfig config(boolean readOnly) {
            return KVStoreConfig.builder().journalMode(mode).readOnly(readOnly).build();
        }

        ExpectedContent expected() {
            return GoldenManifest.load().content(file, DEFAULT_CF);
        }
    }

    static Stream<GoldenCase> goldenCases() {
        return Stream.of(
                new GoldenCase("empty.db", JournalMode.WAL),
                new GoldenCase("small.db", JournalMode.WAL),
                new GoldenCase("big.db", JournalMode.WAL),
                new GoldenCase("freelist.db", JournalMode.WAL),
                new GoldenCase("journal-delete.db", JournalMode.DELETE),
                new GoldenCase("wal-uncheckpointed.db", JournalMode.WAL),
                new GoldenCase("pagesize-1024.db", JournalMode.WAL),
                new GoldenCase("pagesize-65536.db", JournalMode.WAL),
                new GoldenCase("cf.db", JournalMode.WAL));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void readWriteOpenReturnsExactlyTheManifestContent(GoldenCase c) {
        Path db = GoldenFiles.copy(c.file(), tmp);
        ExpectedContent expected = c.expected();
        observe(c + " read-write", db, c.config(false), expected).assertExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void readOnlyOpenReturnsExactlyTheManifestContentAndWritesNothing(GoldenCase c) throws IOException {
        Path db = GoldenFiles.copy(c.file(), tmp);
        Path wal = walOf(db);
        byte[] dbBefore = Files.readAllBytes(db);
        byte[] walBefore = Files.exists(wal) ? Files.readAllBytes(wal) : null;
        ExpectedContent expected = c.expected();

        observe(c + " read-only", db, c.config(true), expected).assertExactly(expected);
        try (KVStore store = KVStore.open(db, c.config(true))) {
            assertThatThrownBy(() -> store.put(bytes("ro-put"), bytes("x"))).isInstanceOf(ReadOnlyException.class);
            byte[] someKey = expected.size() > 0 ? expected.entries().firstKey() : bytes("ro-delete");
            assertThatThrownBy(() -> store.delete(someKey)).isInstanceOf(ReadOnlyException.class);
            assertThat(store.count()).isEqualTo(expected.size());
        }

        assertThat(Files.readAllBytes(db)).as("database file after read-only sessions").isEqualTo(dbBefore);
        if (walBefore != null) {
            assertThat(Files.readAllBytes(wal)).as("-wal after read-only sessions").isEqualTo(walBefore);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void writesToAGoldenFileSurviveAReopen(GoldenCase c) {
        Path db = GoldenFiles.copy(c.file(), tmp);
        ExpectedContent expected;
        try (KVStore store = KVStore.open(db, c.config(false))) {
            expected = applyWrites(store, c.expected());
            for (Map.Entry<byte[], byte[]> e : expected.entries().entrySet()) {
                assertThat(store.get(e.getKey())).as("get(%s) before close", StoreObservation.shortHex(e.getKey()))
                        .hasValueSatisfying(v -> assertThat(v).isEqualTo(e.getValue()));
            }
            assertThat(store.count()).isEqualTo(expected.size());
        }
        observe(c + " reopened after writes", db, c.config(false), expected).assertExactly(expected);
        observe(c + " reopened read-only after writes", db, c.config(true), expected).assertExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void closeLeavesNoWalOrJournalAndTheHeaderNamesTheJournalMode(GoldenCase c) throws IOException {
        Path db = GoldenFiles.copy(c.file(), tmp);
        try (KVStore store = KVStore.open(db, c.config(false))) {
            store.put(bytes("close-check"), bytes("1"));
        }
        assertThat(walOf(db)).as("WAL after close").doesNotExist();
        assertThat(db.resolveSibling(db.getFileName() + "-journal")).as("journal after close").doesNotExist();
        byte[] header = Arrays.copyOf(Files.readAllBytes(db), 100);
        int version = c.mode() == JournalMode.WAL ? 2 : 1;
        assertThat(new int[] {header[18], header[19]}).as("file format write/read version bytes 18, 19")
                .containsExactly(version, version);
        try (KVStore store = KVStore.open(db, c.config(false))) {
            assertThat(store.get(bytes("close-check"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("1")));
            assertThat(store.count()).isEqualTo(c.expected().size() + 1);
        }
    }

    /**
     * Puts new keys (an empty value, a value spanning overflow pages on every page size, a long key, keys
     * that prefix or extend existing ones), overwrites the first, middle, last and largest entries, deletes
     * some, and checks each call's answer. Returns the content the store must now hold.
     */
    private static ExpectedContent applyWrites(KVStore store, ExpectedContent before) {
        ExpectedContent e = before;
        List<byte[]> keys = List.copyOf(before.entries().keySet());

        for (int i = 0; i < 50; i++) {
            e = put(store, e, bytes("zz-new-" + i), bytes("new-value-" + i));
        }
        e = put(store, e, bytes("new-empty"), new byte[0]);
        e = put(store, e, bytes("new-large"), GoldenManifest.pattern(200_000, 777));
        e = put(store, e, new byte[] {0, 0}, bytes("two zero bytes"));
        e = put(store, e, longKey(10_000), bytes("long key"));
        if (!keys.isEmpty()) {
            byte[] first = keys.get(0);
            byte[] middle = keys.get(keys.size() / 2);
            byte[] last = keys.get(keys.size() - 1);
            e = put(store, e, concat(first, new byte[] {0}), bytes("extends the first key"));
            if (middle.length > 1) {
                e = put(store, e, Arrays.copyOf(middle, middle.length - 1), bytes("prefixes the middle key"));
            }
            e = put(store, e, first, GoldenManifest.pattern(5_000, 9));
            e = put(store, e, middle, new byte[0]);
            e = put(store, e, last, bytes("short"));
            byte[] largest = largestValueKey(e);
            e = put(store, e, largest, bytes("shrunk"));

            assertThat(store.putIfAbsent(last, bytes("ignored"))).as("putIfAbsent on a live key").isFalse();
            for (byte[] gone : List.of(keys.get(keys.size() / 3), keys.get(Math.max(0, keys.size() - 2)))) {
                if (e.entries().containsKey(gone)) {
                    assertThat(store.delete(gone)).as("delete(%s)", StoreObservation.shortHex(gone)).isTrue();
                    e = e.withoutEntry(gone);
                }
            }
        }
        assertThat(store.putIfAbsent(bytes("new-if-absent"), bytes("inserted"))).isTrue();
        e = e.withEntry(bytes("new-if-absent"), bytes("inserted"));
        assertThat(store.delete(bytes("zz-new-7"))).isTrue();
        e = e.withoutEntry(bytes("zz-new-7"));
        assertThat(store.delete(bytes("never-there"))).isFalse();
        e = e.withAbsentKey(bytes("never-there"));
        return e;
    }

    private static ExpectedContent put(KVStore store, ExpectedContent e, byte[] key, byte[] value) {
        store.put(key, value);
        return e.withEntry(key, value);
    }

    private static byte[] largestValueKey(ExpectedContent e) {
        return e.entries().entrySet().stream().max((a, b) -> Integer.compare(a.getValue().length, b.getValue().length))
                .map(Map.Entry::getKey).orElseThrow();
    }

    private static StoreObservation observe(String context, Path db, KVStoreConfig config, ExpectedContent expected) {
        return StoreObservation.observe(context, db, config, StoreObservation.probeKeys(List.of(expected)),
                expected.size() + 1000, null);
    }

    private static Path walOf(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    private static byte[] longKey(int length) {
        byte[] k = GoldenManifest.pattern(length, 31337);
        k[0] = 'L';
        return k;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
