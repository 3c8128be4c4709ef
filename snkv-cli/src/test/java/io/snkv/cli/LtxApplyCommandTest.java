package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.JournalMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtxApplyCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void theCapturedFilesInOrderRebuildTheSourceInItsJournalMode(JournalMode mode) throws IOException {
        CapturedStore s = CapturedStore.create(dir, mode);
        Path copy = dir.resolve("copy.db");
        List<String> args = new ArrayList<>(List.of("ltx", "apply", copy.toString()));
        s.ltxFiles().forEach(f -> args.add(f.toString()));

        CliRun r = CliRun.of(args.toArray(String[]::new));

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(s.ltxFiles().size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).matches(java.util.regex.Pattern.quote(s.ltxFiles().get(i) + ": ")
                    + String.format("%016x", i + 1) + "/[0-9a-f]{16}");
        }
        assertThat(lines.get(lines.size() - 1)).isEqualTo(s.ltxFiles().get(lines.size() - 1) + ": " + s.position());
        assertThat(CapturedStore.checksumOf(copy)).isEqualTo(s.checksum());
        Map<String, String> contents = CapturedStore.contents(copy);
        assertThat(contents.size()).isEqualTo(205); // 5 keys, big, 200 in a batch, one deleted
        assertThat(contents).isEqualTo(CapturedStore.contents(s.db()));
        assertThat(journalModeBytes(copy)).isEqualTo(mode == JournalMode.WAL ? 2 : 1);
    }

    @Test
    void restoringThenApplyingTheRestInALaterRunIsTheSame() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.DELETE);
        Path copy = dir.resolve("copy.db");
        List<Path> files = s.ltxFiles();

        CliRun first = CliRun.of("ltx", "apply", copy.toString(), files.get(0).toString());
        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.out()).startsWith(files.get(0) + ": 0000000000000001/");

        List<String> args = new ArrayList<>(List.of("ltx", "apply", copy.toString()));
        files.subList(1, files.size()).forEach(f -> args.add(f.toString()));
        CliRun rest = CliRun.of(args.toArray(String[]::new));

        assertThat(rest.exit()).as("%s", rest).isZero();
        assertThat(rest.out().lines()).hasSize(files.size() - 1).last().isEqualTo(files.get(files.size() - 1) + ": " + s.position());
        assertThat(CapturedStore.checksumOf(copy)).isEqualTo(s.checksum());
        assertThat(journalModeBytes(copy)).isEqualTo(1);
        assertThat(dir.resolve("copy.db-wal")).doesNotExist();
    }

    @Test
    void aFileOutOfOrderFailsAndLeavesTheDatabaseAsItWas() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path copy = dir.resolve("copy.db");
        List<Path> files = s.ltxFiles();
        assertThat(CliRun.of("ltx", "apply", copy.toString(), files.get(0).toString(), files.get(1).toString()).exit())
                .isZero();
        long checksum = CapturedStore.checksumOf(copy);
        Map<String, String> contents = CapturedStore.contents(copy);
        byte[] bytes = Files.readAllBytes(copy);

        Path skipped = files.get(3);
        CliRun r = CliRun.of("ltx", "apply", copy.toString(), skipped.toString());

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("snkv ltx apply: ").contains(skipped.toString(), copy.toString(), "pre-apply")
                .doesNotContain("\tat ");
        assertThat(CapturedStore.checksumOf(copy)).isEqualTo(checksum);
        assertThat(CapturedStore.contents(copy)).isEqualTo(contents);
        assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);

        CliRun debug = CliRun.of("ltx", "apply", "-v", copy.toString(), skipped.toString());
        assertThat(debug.exit()).isEqualTo(1);
        assertThat(debug.err()).contains("KVException", "\tat ");
    }

    @Test
    void theFirstFileThatFailsStopsTheRunAfterTheOnesBeforeIt() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path copy = dir.resolve("copy.db");
        List<Path> files = s.ltxFiles();

        CliRun r = CliRun.of("ltx", "apply", copy.toString(), files.get(0).toString(), files.get(1).toString(),
                files.get(3).toString(), files.get(2).toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.err()).contains(files.get(3).toString()).doesNotContain(files.get(2).toString());
        assertThat(r.out().lines().toList().get(1)).endsWith(": " + positionAfter(copy));
    }

    @Test
    void aMissingDatabaseNeedsASnapshotFirst() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path copy = dir.resolve("copy.db");
        Path second = s.ltxFiles().get(1);

        CliRun r = CliRun.of("ltx", "apply", copy.toString(), second.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("snkv ltx apply: " + copy + " does not exist and " + second
                + " is not a snapshot (its min TXID is 2); give a snapshot file first to create it\n");
        assertThat(copy).doesNotExist();
    }

    @Test
    void missingOrDamagedFilesAreNamedAndNothingIsCreated() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path copy = dir.resolve("copy.db");
        Path none = dir.resolve("none.ltx");

        CliRun missing = CliRun.of("ltx", "apply", copy.toString(), s.ltxFiles().get(0).toString(), none.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("snkv ltx apply: no such file: " + none + "\n");
        assertThat(copy).doesNotExist();

        byte[] b = Files.readAllBytes(s.ltxFiles().get(0));
        b[b.length - 3] ^= 0x10;
        Path bad = dir.resolve("bad.ltx");
        Files.write(bad, b);
        CliRun damaged = CliRun.of("ltx", "apply", copy.toString(), bad.toString());
        assertThat(damaged.exit()).isEqualTo(1);
        assertThat(damaged.err()).startsWith("snkv ltx apply: ").contains(bad.toString(), "byte offset " + (b.length - 8))
                .doesNotContain("\tat ");
        assertThat(damaged.err().lines()).hasSize(1);
        assertThat(copy).doesNotExist();
    }

    private static String positionAfter(Path db) {
        return String.format("%016x/%016x", 2, CapturedStore.checksumOf(db));
    }

    /** Header bytes 18 and 19 (equal): 1 = rollback journal, 2 = WAL. */
    private static int journalModeBytes(Path db) throws IOException {
        try (InputStream in = Files.newInputStream(db)) {
            byte[] h = in.readNBytes(20);
            assertThat(h[18]).isEqualTo(h[19]);
            return h[18];
        }
    }
}
