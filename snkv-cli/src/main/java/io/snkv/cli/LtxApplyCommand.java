package io.snkv.cli;

import io.snkv.KVException;
import io.snkv.KVStore;
import io.snkv.LtxPosition;
import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxFormatException;
import io.snkv.ltx.LtxHeader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code snkv ltx apply DB FILE...}: applies LTX files to a database in the order given, each as one
 * atomic write transaction ({@link KVStore#applyLtx}), printing {@code <file>: <position>} after each.
 * When DB does not exist the first file must be a snapshot, restored into a new DB. The database is
 * opened in the journal mode its header says it is in, so applying never converts it. The first file
 * that cannot be applied stops the run (exit 1) with the database as the files before it left it.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Apply LTX files to a database in order, printing the position (TXID/checksum) after each.",
            "If DB does not exist, the first file must be a snapshot; it creates DB."})
final class LtxApplyCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "DB", description = "The database file.")
    private Path db;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "LTX files, in TXID order.")
    private List<Path> files;

    @Override
    public Integer call() throws IOException {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CommandFailure(Files.exists(f) ? f + ": not a regular file" : "no such file: " + f);
            }
        }
        int next = 0;
        if (!Files.exists(db)) {
            Path first = files.get(0);
            LtxHeader h = header(first);
            if (!h.isSnapshot()) {
                throw new CommandFailure(db + " does not exist and " + first + " is not a snapshot (its min TXID is "
                        + Long.toUnsignedString(h.minTxid()) + "); give a snapshot file first to create it");
            }
            print(first, attempt(first, () -> KVStore.restoreSnapshot(first, db)));
            next = 1;
        }
        if (next < files.size()) {
            try (KVStore kv = DatabaseFiles.openInItsOwnMode(db)) {
                for (Path f : files.subList(next, files.size())) {
                    print(f, attempt(f, () -> kv.applyLtx(f)));
                }
            }
        }
        return 0;
    }

    private void print(Path file, LtxPosition pos) {
        out().println(file + ": " + pos);
        out().flush();
    }

    /** Runs one file's step; a store error becomes a failure naming the file (once) and the database. */
    private LtxPosition attempt(Path file, Supplier<LtxPosition> step) {
        try {
            return step.get();
        } catch (KVException e) {
            String fault = FailureReport.describe(e);
            String which = fault.contains(file.toString()) ? "" : file + ": ";
            throw new CommandFailure(which + "not applied to " + db + ": " + fault, e);
        }
    }

    private static LtxHeader header(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return new LtxDecoder(in).header();
        } catch (LtxFormatException e) {
            throw new CommandFailure(file + ": " + e.getMessage(), e);
        }
    }
}
