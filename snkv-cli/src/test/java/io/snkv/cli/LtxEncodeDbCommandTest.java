package io.snkv.cli;

import static io.snkv.cli.CapturedStore.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.JournalMode;
import io.snkv.ltx.LtxDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtxEncodeDbCommandTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotFileThatApplyTurnsBackIntoTheSameDatabase() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        DirectoryState before = DirectoryState.of(dir);
        Path out = dir.resolve("out").resolve("snap.ltx");
        Files.createDirectories(out.getParent());

        CliRun r = CliRun.of("ltx", "encode-db", "-o", out.toString(), s.db().toString());

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).isEqualTo(out + ": 0000000000000001/" + hex(s.checksum()) + "\n");
        assertThat(r.err()).isEmpty();
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out); // no temporary file left
        }
        assertThat(DirectoryState.of(dir).files()).containsAllEntriesOf(before.files());
        assertThat(CliRun.of("ltx", "verify", out.toString()).out()).isEqualTo(out + ": ok\n");

        Path copy = dir.resolve("copy.db");
        CliRun applied = CliRun.of("ltx", "apply", copy.toString(), out.toString());
        assertThat(applied.exit()).as("%s", applied).isZero();
        assertThat(CapturedStore.checksumOf(copy)).isEqualTo(s.checksum());
        assertThat(CapturedStore.contents(copy)).isEqualTo(CapturedStore.contents(s.db())).containsKey("big");
    }

    @Test
    void withoutOutputTheSnapshotIsAllThatGoesToStandardOutput() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.DELETE);

        CliRun r = CliRun.of("ltx", "encode-db", s.db().toString());

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        LtxDecoder.decodeAll(r.outBytes()); // one valid LTX file and not a byte more
        LtxDecoder d = new LtxDecoder(new ByteArrayInputStream(r.outBytes()));
        assertThat(d.header().isSnapshot()).isTrue();
        while (d.readPage() != null) {
            // to the trailer
        }
        assertThat(d.trailer().postApplyChecksum()).isEqualTo(s.checksum());

        Path snap = dir.resolve("stdout.ltx");
        Files.write(snap, r.outBytes());
        Path copy = dir.resolve("copy.db");
        assertThat(CliRun.of("ltx", "apply", copy.toString(), snap.toString()).exit()).isZero();
        assertThat(CapturedStore.checksumOf(copy)).isEqualTo(s.checksum());
        assertThat(CapturedStore.contents(copy)).isEqualTo(CapturedStore.contents(s.db()));
    }

    @Test
    void replacesAnExistingOutputKeepingItsPermissions() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path out = dir.resolve("snap.ltx");
        Files.writeString(out, "old content");
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        if (posix) {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        }

        CliRun r = CliRun.of("ltx", "encode-db", "-o", out.toString(), s.db().toString());

        assertThat(r.exit()).as("%s", r).isZero();
        LtxDecoder.decodeAll(Files.readAllBytes(out));
        if (posix) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r-----");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void refusesToWriteOverTheDatabaseOrIntoAMissingDirectory() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        DirectoryState before = DirectoryState.of(dir);

        CliRun self = CliRun.of("ltx", "encode-db", "-o", s.db().toString(), s.db().toString());
        assertThat(self.exit()).isEqualTo(1);
        assertThat(self.err()).isEqualTo("snkv ltx encode-db: " + s.db() + ": is the database itself;"
                + " give another output file\n");

        Path nowhere = dir.resolve("no/such/dir/snap.ltx");
        CliRun missingDir = CliRun.of("ltx", "encode-db", "-o", nowhere.toString(), s.db().toString());
        assertThat(missingDir.exit()).isEqualTo(1);
        assertThat(missingDir.err()).startsWith("snkv ltx encode-db: " + nowhere + ": no such directory: ");

        CliRun missingDb = CliRun.of("ltx", "encode-db", dir.resolve("none.db").toString());
        assertThat(missingDb.exit()).isEqualTo(1);
        assertThat(missingDb.outBytes()).isEmpty();
        assertThat(missingDb.err()).isEqualTo("snkv ltx encode-db: no such file: " + dir.resolve("none.db") + "\n");

        assertThat(DirectoryState.of(dir)).isEqualTo(before);
    }
}
