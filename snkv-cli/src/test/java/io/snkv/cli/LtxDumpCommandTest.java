package io.snkv.cli;

import static io.snkv.cli.CapturedStore.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.JournalMode;
import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxIndexEntry;
import io.snkv.ltx.LtxTrailer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LtxDumpCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheHeaderEveryFrameAndTheTrailerOfACapturedFile() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        List<Path> files = s.ltxFiles();
        Path last = files.get(files.size() - 1);
        Decoded before = decode(files.get(files.size() - 2));
        Decoded d = decode(last);
        byte[] bytes = Files.readAllBytes(last);
        long fileChecksum = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();

        CliRun r = CliRun.of("ltx", "dump", last.toString());

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.err()).isEmpty();
        long txid = s.position().txid();
        assertThat(r.out()).contains(
                "# HEADER\n",
                "Flags:      0x00000000\n",
                "Page size:  4096\n",
                "Commit:     " + Files.size(s.db()) / 4096 + "\n",
                "Min TXID:   " + hex(txid) + " (" + txid + ")\n",
                "Max TXID:   " + hex(txid) + " (" + txid + ")\n",
                "Timestamp:  2024-05-06T07:08:09.123Z (1714979289123)\n",
                "Pre-apply:  " + hex(before.trailer.postApplyChecksum()) + "\n",
                "WAL offset: 0\n",
                "WAL size:   0\n",
                "WAL salt:   00000000 00000000\n",
                "Node ID:    000000001234abcd\n",
                "# TRAILER\n",
                "Post-apply:    " + hex(s.checksum()) + "\n",
                "File checksum: " + hex(fileChecksum) + "\n");
        List<String> frameLines = r.out().lines().filter(l -> l.startsWith("Frame #")).toList();
        assertThat(frameLines).hasSize(d.index.size()).isNotEmpty();
        for (int i = 0; i < d.index.size(); i++) {
            LtxIndexEntry e = d.index.get(i);
            assertThat(frameLines.get(i)).isEqualTo("Frame #" + i + ": pgno=" + e.pageNumber() + " offset=" + e.offset()
                    + " size=" + e.size());
        }
        assertThat(d.index.get(0).offset()).isEqualTo(100);
    }

    @Test
    void aSnapshotHasNoPreApplyChecksumAndEveryPageInOrder() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path snapshot = s.ltxFiles().get(0);
        Decoded d = decode(snapshot);

        CliRun r = CliRun.of("ltx", "dump", snapshot.toString());

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("Min TXID:   0000000000000001 (1)\n", "Pre-apply:  0000000000000000 (snapshot)\n",
                "Commit:     " + d.commit + "\n");
        for (int pg = 1; pg <= d.commit; pg++) {
            assertThat(r.out()).contains("Frame #" + (pg - 1) + ": pgno=" + pg + " offset=");
        }
    }

    @Test
    void aDamagedFilePrintsUpToTheFaultThenNamesItsOffsetAndExitsOne() throws IOException {
        CapturedStore s = CapturedStore.create(dir, JournalMode.WAL);
        Path last = s.ltxFiles().get(s.ltxFiles().size() - 1);
        byte[] b = Files.readAllBytes(last);
        Path cut = dir.resolve("cut.ltx");
        Files.write(cut, Arrays.copyOf(b, b.length - 10));

        CliRun r = CliRun.of("ltx", "dump", cut.toString());

        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("# HEADER", "Frame #0: pgno=1").doesNotContain("# TRAILER");
        assertThat(r.err()).isEqualTo("snkv ltx dump: " + cut + ": invalid LTX at byte offset " + (b.length - 10)
                + ": file ends inside trailer (6 of 16 bytes)\n");
    }

    @Test
    void aMissingFileIsOneLineAndExitOne() {
        CliRun r = CliRun.of("ltx", "dump", dir.resolve("none.ltx").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("snkv ltx dump: no such file: " + dir.resolve("none.ltx") + "\n");
    }

    private record Decoded(long commit, List<LtxIndexEntry> index, LtxTrailer trailer) {}

    private static Decoded decode(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            LtxDecoder d = new LtxDecoder(in);
            while (d.readPage() != null) {
                // to the end
            }
            return new Decoded(d.header().commit(), d.index(), d.trailer());
        }
    }
}
