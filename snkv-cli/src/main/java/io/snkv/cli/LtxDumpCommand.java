package io.snkv.cli;

import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxFormatException;
import io.snkv.ltx.LtxHeader;
import io.snkv.ltx.LtxPageFrame;
import io.snkv.ltx.LtxTrailer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code snkv ltx dump FILE}: the header, one line per page frame and the trailer, printed as the file
 * is decoded. The decoder verifies as it reads, so a bad file prints up to the fault, then the fault
 * (with its byte offset) on standard error, exit 1.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print an LTX file's header, its page frames (page number, offset, size) and its trailer,"
                + " verifying the file as it is read.")
final class LtxDumpCommand extends ToolCommand {
    /** RFC 3339 in UTC with milliseconds, as LiteFS prints LTX timestamps. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Parameters(paramLabel = "FILE", description = "The LTX file.")
    private Path file;

    @Override
    public Integer call() throws IOException {
        PrintStream out = out();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            LtxDecoder d = new LtxDecoder(in);
            printHeader(out, d.header());
            out.println();
            out.println("# PAGE FRAMES");
            int i = 0;
            for (long at = d.position(); ; at = d.position(), i++) {
                LtxPageFrame p = d.readPage();
                if (p == null) {
                    break;
                }
                out.printf("Frame #%d: pgno=%d offset=%d size=%d%n", i, p.pageNumber(), at, d.position() - at);
            }
            out.println();
            LtxTrailer t = d.trailer();
            out.println("# TRAILER");
            out.printf("Post-apply:    %016x%n", t.postApplyChecksum());
            out.printf("File checksum: %016x%n", t.fileChecksum());
            if (in.read() >= 0) {
                throw new LtxFormatException(d.position(), "bytes follow the trailer");
            }
            return 0;
        } catch (LtxFormatException e) {
            throw new CommandFailure(file + ": " + e.getMessage(), e);
        } finally {
            out.flush();
        }
    }

    static void printHeader(PrintStream out, LtxHeader h) {
        out.println("# HEADER");
        out.printf("Flags:      0x%08x%s%n", h.flags(), h.hasNoChecksum() ? " (no checksum)" : "");
        out.printf("Page size:  %d%n", h.pageSize());
        out.printf("Commit:     %d%n", h.commit());
        out.printf("Min TXID:   %016x (%s)%n", h.minTxid(), Long.toUnsignedString(h.minTxid()));
        out.printf("Max TXID:   %016x (%s)%n", h.maxTxid(), Long.toUnsignedString(h.maxTxid()));
        out.printf("Timestamp:  %s (%d)%n", TIMESTAMP.format(Instant.ofEpochMilli(h.timestamp())), h.timestamp());
        out.printf("Pre-apply:  %016x%s%n", h.preApplyChecksum(), h.isSnapshot() ? " (snapshot)" : "");
        out.printf("WAL offset: %d%n", h.walOffset());
        out.printf("WAL size:   %d%n", h.walSize());
        out.printf("WAL salt:   %08x %08x%n", h.walSalt1(), h.walSalt2());
        out.printf("Node ID:    %016x%n", h.nodeId());
    }
}
