package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.JournalMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtxVerifyCommandTest {
    @TempDir
    Path dir;

    private CapturedStore store;
    private Path last;
    private byte[] lastBytes;

    @BeforeEach
    void capture() throws IOException {
        store = CapturedStore.create(dir, JournalMode.WAL);
        last = store.ltxFiles().get(store.ltxFiles().size() - 1);
        lastBytes = Files.readAllBytes(last);
    }

    @Test
    void everyCapturedFileIsOk() {
        List<String> args = new ArrayList<>(List.of("ltx", "verify"));
        store.ltxFiles().forEach(f -> args.add(f.toString()));

        CliRun r = CliRun.of(args.toArray(String[]::new));

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines()).hasSize(store.ltxFiles().size()).allMatch(l -> l.endsWith(": ok"));
        assertThat(r.out()).startsWith(store.ltxFiles().get(0) + ": ok\n");
    }

    @Test
    void aFlippedFileChecksumByteIsReportedAtItsOffset() throws IOException {
        byte[] b = lastBytes.clone();
        b[b.length - 1] ^= 0x01;
        Path bad = write("flipped.ltx", b);

        CliRun r = CliRun.of("ltx", "verify", store.ltxFiles().get(0).toString(), bad.toString());

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).isEqualTo(store.ltxFiles().get(0) + ": ok\n"
                + bad + ": invalid LTX at byte offset " + (b.length - 8) + ": file checksum "
                + String.format("%016x", java.nio.ByteBuffer.wrap(b, b.length - 8, 8).getLong())
                + " differs from computed " + String.format("%016x", java.nio.ByteBuffer.wrap(lastBytes, b.length - 8, 8).getLong())
                + "\n");
        assertThat(r.err()).isEqualTo("snkv ltx verify: 1 of 2 files invalid\n");
    }

    @Test
    void aFlippedPageByteIsFoundToo() throws IOException {
        byte[] b = lastBytes.clone();
        b[100 + 10 + 3] ^= 0x40; // inside the first frame's compressed page
        Path bad = write("page.ltx", b);

        CliRun r = CliRun.of("ltx", "verify", bad.toString());

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).startsWith(bad + ": invalid LTX at byte offset ");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void aTruncatedFileIsReportedWhereItEnds() throws IOException {
        Path cut = write("cut.ltx", Arrays.copyOf(lastBytes, 150));

        CliRun r = CliRun.of("ltx", "verify", cut.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith(cut + ": invalid LTX at byte offset 150: file ends inside ");
    }

    @Test
    void bytesAfterTheTrailerAreRejected() throws IOException {
        byte[] b = Arrays.copyOf(lastBytes, lastBytes.length + 1);
        Path longer = write("longer.ltx", b);

        CliRun r = CliRun.of("ltx", "verify", longer.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(longer + ": invalid LTX at byte offset " + lastBytes.length
                + ": bytes follow the trailer\n");
    }

    @Test
    void aMissingFileIsInvalidAndTheOthersAreStillChecked() {
        Path none = dir.resolve("none.ltx");

        CliRun r = CliRun.of("ltx", "verify", none.toString(), last.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(none + ": no such file: " + none + "\n" + last + ": ok\n");
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        Path cut = write("cut.ltx", Arrays.copyOf(lastBytes, 150));
        CliRun quiet = CliRun.of("ltx", "verify", cut.toString());
        CliRun loud = CliRun.of("ltx", "verify", "--debug", cut.toString());
        assertThat(quiet.err()).doesNotContain("\tat ");
        assertThat(loud.err()).contains("LtxFormatException", "\tat ");
        assertThat(loud.exit()).isEqualTo(1);
    }

    private Path write(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }
}
