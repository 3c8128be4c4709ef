package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.internal.pager.DatabaseHeader;
import io.snkv.ltx.LtxChecksums;
import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxHeader;
import io.snkv.ltx.LtxPageFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw database images: {@link KVStore#openImage} / {@link KVStore#exportImage} copy one committed state with its
 * position; {@link KVStore#importImage} and {@link KVStore#createFromImage} commit an image as one transaction
 * whose log file holds every page, keep page 1 as sent (but for the bytes other connections need), and change
 * nothing when the image is refused.
 */
class DatabaseImageTest {
    @TempDir
    Path dir;

    private KVStoreConfig captured(JournalMode mode) {
        return KVStoreConfig.builder().journalMode(mode).changeCapture(dir.resolve("data")).build();
    }

    /** A closed database with {@code keys} entries ("<prefix><i>" = value of {@code valueSize} bytes), as an image. */
    private Path image(String name, String prefix, int keys, int valueSize, KVStoreConfig cfg) throws IOException {
        Path p = dir.resolve("images").resolve(name);
        Files.createDirectories(p.getParent());
        try (KVStore s = KVStore.open(p, cfg)) {
            fill(s, prefix, keys, valueSize);
        }
        return p;
    }

    private static void fill(KVStore s, String prefix, int keys, int valueSize) {
        s.begin(true);
        for (int i = 0; i < keys; i++) {
            byte[] v = new byte[valueSize];
            Arrays.fill(v, (byte) i);
            s.put((prefix + i).getBytes(), v);
        }
        s.commit();
    }

    private static TreeMap<String, Integer> contents(KVStore s) {
        TreeMap<String, Integer> m = new TreeMap<>();
        try (KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key()), it.value().length);
            }
        }
        return m;
    }

    private static TreeMap<String, Integer> contents(Path db) {
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build())) {
            return contents(s);
        }
    }

    private Path ltxDir(String dbName) {
        return dir.resolve("data").resolve("dbs").resolve(dbName).resolve("ltx");
    }

    private static List<Path> logFiles(Path ltxDir) throws IOException {
        return CaptureReplayTest.logFiles(ltxDir);
    }

    /** The image as this store's file should hold it after the import: version bytes follow the journal mode. */
    private static byte[] asImported(byte[] image, JournalMode mode) {
        byte[] want = image.clone();
        want[DatabaseHeader.OFF_WRITE_VERSION] = (byte) (mode == JournalMode.WAL ? 2 : 1);
        want[DatabaseHeader.OFF_READ_VERSION] = want[DatabaseHeader.OFF_WRITE_VERSION];
        return want;
    }

    private static int u32(byte[] b, int off) {
        return DatabaseHeader.u32(b, off);
    }

    // ---- export ----

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void anExportIsTheCheckpointedFileAtTheLogPosition(JournalMode mode) throws IOException {
        Path db = dir.resolve("e.db");
        try (KVStore s = KVStore.open(db, captured(mode))) {
            fill(s, "k", 300, 200);
            s.delete("k7".getBytes());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DatabaseImage img = s.openImage()) {
                assertThat(img.position()).isEqualTo(s.capturePosition().orElseThrow());
                assertThat(img.pageSize()).isEqualTo(4096);
                assertThat(img.size()).isEqualTo((long) img.pageCount() * 4096);
                img.writeTo(out);
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            assertThat(s.exportImage(again)).isEqualTo(s.capturePosition().orElseThrow());
            s.checkpoint(CheckpointMode.TRUNCATE);
            byte[] file = Files.readAllBytes(db);
            assertThat(out.toByteArray()).isEqualTo(file);
            assertThat(again.toByteArray()).isEqualTo(file);
        }
    }

    @Test
    void anExportKeepsItsStateWhileWritersGoOn() throws IOException {
        Path db = dir.resolve("w.db");
        try (KVStore s = KVStore.open(db, captured(JournalMode.WAL))) {
            fill(s, "k", 100, 100);
            LtxPosition before = s.capturePosition().orElseThrow();
            Path copy = dir.resolve("copy.db");
            try (DatabaseImage img = s.openImage()) {
                fill(s, "later", 200, 300); // commits while the image's read transaction is open
                assertThat(s.capturePosition().orElseThrow()).isNotEqualTo(before);
                try (var out = Files.newOutputStream(copy)) {
                    img.writeTo(out);
                }
                assertThat(img.position()).isEqualTo(before);
            }
            try (KVStore c = KVStore.open(copy, KVStoreConfig.builder().readOnly(true).build())) {
                assertThat(c.count()).isEqualTo(100);
                assertThat(c.checksum()).isEqualTo(before.checksum());
            }
        }
    }

    @Test
    void withoutCaptureAnExportHasTxidZeroAndTheChecksum() throws IOException {
        try (KVStore s = KVStore.open(dir.resolve("plain.db"))) {
            fill(s, "k", 10, 10);
            try (DatabaseImage img = s.openImage()) {
                assertThat(img.position()).isEqualTo(new LtxPosition(0, s.checksum()));
            }
            s.begin(false);
            assertThatThrownBy(s::openImage).isInstanceOf(KVException.class).hasMessageContaining("inside a transaction");
            s.rollback();
        }
    }

    // ---- import ----

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void anImportReplacesALargerDatabaseAndTheFileShrinks(JournalMode mode) throws IOException {
        Path image = image("small.db", "new", 20, 50, KVStoreConfig.defaults());
        importInto(mode, image, 2_000, 500);
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void anImportIntoASmallerDatabaseGrowsIt(JournalMode mode) throws IOException {
        Path image = image("large.db", "new", 1_500, 700, KVStoreConfig.defaults());
        importInto(mode, image, 5, 10);
    }

    private void importInto(JournalMode mode, Path image, int oldKeys, int oldValueSize) throws IOException {
        byte[] imageBytes = Files.readAllBytes(image);
        int pages = imageBytes.length / 4096;
        Path db = dir.resolve("t.db");
        LtxPosition after;
        try (KVStore s = KVStore.open(db, captured(mode))) {
            fill(s, "old", oldKeys, oldValueSize);
            for (int i = 0; i < 3; i++) {
                s.put("extra" + i, "x"); // the change counter moves past the image's, which stays as sent
            }
            LtxPosition before = s.capturePosition().orElseThrow();
            List<Path> filesBefore = logFiles(ltxDir("t.db"));
            after = s.importImage(image);
            assertThat(after.txid()).isEqualTo(before.txid() + 1);
            assertThat(s.capturePosition()).contains(after);
            assertThat(s.checksum()).isEqualTo(after.checksum());
            assertThat(contents(s)).isEqualTo(contents(image));
            // One new log file: the next TXID, every page of the image, the image's size.
            List<Path> files = logFiles(ltxDir("t.db"));
            assertThat(files).hasSize(filesBefore.size() + 1).containsAll(filesBefore);
            Path file = files.get(files.size() - 1);
            assertThat(file.getFileName().toString()).isEqualTo(String.format("%016x-%016x.ltx", after.txid(), after.txid()));
            LtxHeader h = CaptureReplayTest.header(file);
            assertThat(h.commit()).isEqualTo(pages);
            assertThat(h.preApplyChecksum()).isEqualTo(before.checksum());
            assertThat(CaptureReplayTest.trailerPostApply(file)).isEqualTo(after.checksum());
            assertThat(pageNumbers(file)).isEqualTo(allPages(pages, 4096));
        }
        // The file holds the image's pages and no more (the version bytes follow this store's journal mode).
        byte[] file = Files.readAllBytes(db);
        byte[] want = asImported(imageBytes, mode);
        assertThat(file).hasSize(imageBytes.length).isEqualTo(want);
        CaptureLogCheck.verify(db, dir.resolve("data"), KVStoreConfig.builder().journalMode(mode).build(),
                dir.resolve("scratch"), "after the import");
    }

    private static List<Long> pageNumbers(Path ltx) throws IOException {
        List<Long> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(ltx)) {
            LtxDecoder d = new LtxDecoder(in);
            for (LtxPageFrame f; (f = d.readPage()) != null; ) {
                out.add(f.pageNumber());
            }
        }
        return out;
    }

    private static List<Long> allPages(int pages, int pageSize) {
        List<Long> out = new ArrayList<>();
        for (long pg = 1; pg <= pages; pg++) {
            if (pg != LtxChecksums.lockPage(pageSize)) {
                out.add(pg);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void createFromImageMakesTheImportTheFirstTransactionASnapshot(JournalMode mode) throws IOException {
        Path image = image("img.db", "k", 400, 300, KVStoreConfig.builder().pageSize(1024).build());
        byte[] imageBytes = Files.readAllBytes(image);
        Path db = dir.resolve("new.db");
        LtxPosition p = KVStore.createFromImage(db, captured(mode), image);
        assertThat(p.txid()).isEqualTo(1);
        List<Path> files = logFiles(ltxDir("new.db"));
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("0000000000000001-0000000000000001.ltx");
        LtxHeader h = CaptureReplayTest.header(files.get(0));
        assertThat(h.isSnapshot()).isTrue();
        assertThat(h.pageSize()).isEqualTo(1024);
        assertThat(pageNumbers(files.get(0))).isEqualTo(allPages(imageBytes.length / 1024, 1024));
        assertThat(Files.readAllBytes(db)).isEqualTo(asImported(imageBytes, mode));
        try (KVStore s = KVStore.open(db, captured(mode))) {
            assertThat(s.capturePosition()).contains(p);
            assertThat(s.checksum()).isEqualTo(p.checksum());
            assertThat(contents(s)).isEqualTo(contents(image));
        }
    }

    @Test
    void withoutCaptureAnImportReturnsTxidZeroAndTheNewChecksum() throws IOException {
        Path image = image("img.db", "k", 30, 30, KVStoreConfig.defaults());
        try (KVStore s = KVStore.open(dir.resolve("plain.db"))) {
            fill(s, "x", 5, 5);
            LtxPosition p = s.importImage(image);
            assertThat(p).isEqualTo(new LtxPosition(0, s.checksum()));
            assertThat(contents(s)).isEqualTo(contents(image));
        }
    }

    /** An image whose change counter (and version-valid-for) is {@code counter}, else as {@code source}. */
    private Path withCounter(Path source, int counter) throws IOException {
        byte[] b = Files.readAllBytes(source);
        DatabaseHeader.put32(b, DatabaseHeader.OFF_CHANGE_COUNTER, counter);
        DatabaseHeader.put32(b, DatabaseHeader.OFF_VERSION_VALID_FOR, counter);
        Path p = dir.resolve("images").resolve("counter-" + counter + "-" + source.getFileName());
        Files.write(p, b);
        return p;
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void otherConnectionsSeeTheImportAndOffsets24And40StayAsSentUnlessRollbackModeNeedsTheCounterToMove(JournalMode mode)
            throws IOException {
        Path source = image("src.db", "new", 50, 100, KVStoreConfig.defaults());
        Path db = dir.resolve("seen.db");
        try (KVStore s = KVStore.open(db, captured(mode));
             KVStore other = KVStore.open(db, KVStoreConfig.builder().journalMode(mode).build())) {
            fill(s, "old", 60, 100);
            assertThat(contents(other)).containsKey("old1"); // its cache now holds the old pages
            int counterNow = u32(Files.readAllBytes(db), 24);
            if (mode == JournalMode.WAL) {
                s.checkpoint(CheckpointMode.TRUNCATE);
                counterNow = u32(Files.readAllBytes(db), 24);
            }
            // The same counter as the database's: only rollback mode needs it to move.
            Path same = withCounter(source, counterNow);
            s.importImage(same);
            assertThat(contents(other)).isEqualTo(contents(source));
            s.checkpoint(CheckpointMode.TRUNCATE);
            byte[] file = Files.readAllBytes(db);
            int want = mode == JournalMode.DELETE ? counterNow + 1 : counterNow;
            assertThat(u32(file, DatabaseHeader.OFF_CHANGE_COUNTER)).isEqualTo(want);
            assertThat(u32(file, DatabaseHeader.OFF_VERSION_VALID_FOR)).isEqualTo(want);
            assertThat(u32(file, DatabaseHeader.OFF_SCHEMA_COOKIE)).isEqualTo(u32(Files.readAllBytes(same), 40));
            // A different counter stays as sent in either mode.
            fill(s, "more", 10, 10);
            Path other7 = withCounter(source, 7_000_007);
            s.importImage(other7);
            assertThat(contents(other)).isEqualTo(contents(source));
            s.checkpoint(CheckpointMode.TRUNCATE);
            assertThat(u32(Files.readAllBytes(db), DatabaseHeader.OFF_CHANGE_COUNTER)).isEqualTo(7_000_007);
        }
    }

    // ---- refusals ----

    /** A valid SNKV database whose default family root is page 2 and which has no auto-vacuum. */
    private Path imageWithRootOnPage2() throws IOException {
        byte[] p1 = new byte[4096];
        DatabaseHeader.initialize(p1, 4096, false);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_CHANGE_COUNTER, 1);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_VERSION_VALID_FOR, 1);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_PAGE_COUNT, 1);
        p1[100] = 0x0d; // an empty leaf table: the schema table
        p1[105] = 0x10; // content starts at 4096
        Path p = dir.resolve("images").resolve("root2.db");
        Files.createDirectories(p.getParent());
        Files.write(p, p1);
        try (KVStore s = KVStore.open(p, KVStoreConfig.builder().journalMode(JournalMode.DELETE).build())) {
            fill(s, "r", 5, 5); // opening finishes the file: the default family's root is the next page, 2
        }
        assertThat(u32(Files.readAllBytes(p), DatabaseHeader.OFF_SCHEMA_COOKIE)).isEqualTo(2);
        return p;
    }

    private Path bytes(String name, byte[] b) throws IOException {
        Path p = dir.resolve("images").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, b);
        return p;
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aRefusedImportChangesNothing(JournalMode mode) throws IOException {
        Path good = image("good.db", "k", 200, 100, KVStoreConfig.defaults());
        byte[] g = Files.readAllBytes(good);
        byte[] noMagic = g.clone();
        noMagic[0] = 'X';
        byte[] badPageSize = g.clone();
        badPageSize[16] = 0x03;
        badPageSize[17] = 0x00;
        byte[] corrupt = g.clone();
        corrupt[2 * 4096 + 3] = (byte) 0xff; // page 3, the default family's root: 65,000 cells claimed
        corrupt[2 * 4096 + 4] = (byte) 0xf0;
        List<Object[]> cases = List.of(
                new Object[] {bytes("nomagic.db", noMagic), "does not start with \"SQLite format 3\\0\""},
                new Object[] {bytes("empty.db", new byte[0]), "does not start with"},
                new Object[] {bytes("short.db", Arrays.copyOf(g, 50)), "shorter than the 100-byte database header"},
                new Object[] {bytes("pagesize.db", badPageSize), "page size (header offset 16) is 768"},
                new Object[] {bytes("length.db", Arrays.copyOf(g, g.length - 100)), "not a multiple of its page size 4096"},
                new Object[] {bytes("corrupt.db", corrupt), "fails the integrity check"},
                new Object[] {image("small-pages.db", "k", 3, 3, KVStoreConfig.builder().pageSize(1024).build()),
                        "page size is 1024 but the database's is 4096"},
                new Object[] {imageWithRootOnPage2(), "default column family root is page 2 (header offset 40) but the "
                        + "database's is page 3"});
        Path db = dir.resolve("keep.db");
        try (KVStore s = KVStore.open(db, captured(mode))) {
            fill(s, "mine", 100, 100);
            s.checkpoint(CheckpointMode.TRUNCATE);
            LtxPosition before = s.capturePosition().orElseThrow();
            TreeMap<String, Integer> contentBefore = contents(s);
            byte[] fileBefore = Files.readAllBytes(db);
            List<Path> logBefore = logFiles(ltxDir("keep.db"));
            for (Object[] c : cases) {
                Path bad = (Path) c[0];
                assertThatThrownBy(() -> s.importImage(bad)).as(bad.getFileName().toString())
                        .isInstanceOf(InvalidImageException.class).hasMessageContaining((String) c[1]);
                assertThat(s.capturePosition()).as(bad.getFileName().toString()).contains(before);
                assertThat(contents(s)).isEqualTo(contentBefore);
                assertThat(logFiles(ltxDir("keep.db"))).isEqualTo(logBefore);
                s.checkpoint(CheckpointMode.TRUNCATE);
                assertThat(Files.readAllBytes(db)).as(bad.getFileName().toString()).isEqualTo(fileBefore);
            }
            s.begin(true);
            assertThatThrownBy(() -> s.importImage(good)).isInstanceOf(KVException.class)
                    .hasMessageContaining("inside a transaction");
            s.rollback();
        }
        // A new database is not even created.
        Path fresh = dir.resolve("fresh.db");
        assertThatThrownBy(() -> KVStore.createFromImage(fresh, captured(mode), (Path) cases.get(5)[0]))
                .isInstanceOf(InvalidImageException.class);
        assertThat(fresh).doesNotExist();
    }
}
