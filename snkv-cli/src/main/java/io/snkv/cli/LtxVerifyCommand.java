package io.snkv.cli;

import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code snkv ltx verify FILE...}: decodes each file to its end (every format rule, the file checksum,
 * nothing after the trailer) and prints {@code <file>: ok} or {@code <file>: <fault>}; exit 1 when any
 * file is bad or unreadable.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Decode LTX files fully and check every rule and checksum; print '<file>: ok' or the fault"
                + " with its byte offset. Exit 1 if any file is invalid.")
final class LtxVerifyCommand extends ToolCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "LTX files.")
    private List<Path> files;

    @Override
    public Integer call() {
        int bad = 0;
        for (Path f : files) {
            IOException fault = fault(f);
            out().println(f + ": " + (fault == null ? "ok" : FailureReport.describe(fault)));
            if (fault != null) {
                bad++;
                if (debug()) {
                    fault.printStackTrace(err());
                }
            }
        }
        out().flush();
        if (bad > 0) {
            err().println(spec.qualifiedName(" ") + ": " + bad + " of " + files.size() + " file"
                    + (files.size() == 1 ? "" : "s") + " invalid");
            return 1;
        }
        return 0;
    }

    /** What is wrong with the file (or with reading it), or null when it is a valid LTX file. */
    static IOException fault(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            LtxDecoder d = new LtxDecoder(in);
            while (d.readPage() != null) {
                // every frame is checked as it is read; the trailer when the pages end
            }
            if (in.read() >= 0) {
                throw new LtxFormatException(d.position(), "bytes follow the trailer");
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
