package io.snkv.cli;

import static io.snkv.cli.CapturedStore.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.JournalMode;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtxChecksumCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheStoresChecksumAndChangesNothing() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        DirectoryState before = DirectoryState.of(dir);

        CliRun r = CliRun.of("ltx", "checksum", s.db().toString());

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo(hex(s.checksum()) + "\n");
        assertThat(r.err()).isEmpty();
        assertThat(DirectoryState.of(dir)).isEqualTo(before);
    }

    @Test
    void inRollbackJournalModeToo() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.DELETE);
        DirectoryState before = DirectoryState.of(dir);

        CliRun r = CliRun.of("ltx", "checksum", s.db().toString());

        assertThat(r.out()).isEqualTo(hex(s.checksum()) + "\n");
        assertThat(DirectoryState.of(dir)).isEqualTo(before);
    }

    @Test
    void includesCommitsStillInTheWal() throws IOException {
        Path db = dir.resolve("live.db");
        try (KVStore writer = KVStore.open(db, KVStoreConfig.builder().journalMode(JournalMode.WAL).build())) {
            writer.put("a", "1");
            writer.put("b", "2".repeat(5000));
            assertThat(Files.size(dir.resolve("live.db-wal"))).isPositive();
            byte[] dbBytes = Files.readAllBytes(db);
            byte[] walBytes = Files.readAllBytes(dir.resolve("live.db-wal"));

            CliRun r = CliRun.of("ltx", "checksum", db.toString());

            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).isEqualTo(hex(writer.checksum()) + "\n");
            assertThat(Files.readAllBytes(db)).isEqualTo(dbBytes);
            assertThat(Files.readAllBytes(dir.resolve("live.db-wal"))).isEqualTo(walBytes);
        }
    }

    @Test
    void aMissingOrForeignFileIsOneLineAndExitOne() throws IOException {
        CliRun missing = CliRun.of("ltx", "checksum", dir.resolve("none.db").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("snkv ltx checksum: no such file: " + dir.resolve("none.db") + "\n");
        assertThat(dir.resolve("none.db")).doesNotExist();

        Path text = dir.resolve("text.db");
        Files.writeString(text, "not a database, just some text that is long enough to fill a header. ".repeat(100));
        CliRun foreign = CliRun.of("ltx", "checksum", text.toString());
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.err()).startsWith("snkv ltx checksum: ").contains(text.toString()).endsWith("\n")
                .doesNotContain("\tat ");
        assertThat(foreign.err().lines()).hasSize(1);
    }
}
