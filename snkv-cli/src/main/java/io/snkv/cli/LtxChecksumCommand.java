package io.snkv.cli;

import io.snkv.KVStore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code snkv ltx checksum DB}: the LTX database checksum of the committed state (WAL included), 16 hex
 * digits. Opens the database read-only.
 */
@Command(name = "checksum", mixinStandardHelpOptions = true,
        description = "Print the LTX database checksum of a database (16 hex digits). Read-only.")
final class LtxChecksumCommand extends ToolCommand {
    @Parameters(paramLabel = "DB", description = "The database file.")
    private Path db;

    @Override
    public Integer call() {
        try (KVStore kv = DatabaseFiles.openReadOnly(db)) {
            out().printf("%016x%n", kv.checksum());
        }
        out().flush();
        return 0;
    }
}
