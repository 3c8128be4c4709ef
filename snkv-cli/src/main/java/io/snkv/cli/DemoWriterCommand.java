package io.snkv.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code snkv demo writer}: the seed's {@code snkv_writer} on its own, against the primary's directory.
 * Standard output carries exactly the C program's lines; after a run in which every put committed, one
 * line for scripts goes to standard error ({@link DemoWriter.LastCommit#line()}). Exit 0 when every chunk
 * was written, 1 on a store error (one line: a replica's store names its primary), 2 on bad usage.
 */
@Command(name = "writer", mixinStandardHelpOptions = true,
        description = {"Put N chunks into DIR/snkv.db in WAL mode, one transaction each (the seed's snkv_writer).",
                "Then print 'last-commit [txid=<16 hex>] unix-ms=<ms>' on standard error: the change-log"
                        + " TXID when the store captures changes, and when the last commit returned."})
final class DemoWriterCommand extends ToolCommand {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "directory of snkv.db: the primary's directory (default: ${DEFAULT-VALUE})")
    private Path dir = Path.of("./mnt1");

    @Mixin
    private DemoChunkOptions size;

    @Override
    public Integer call() {
        // The C program cannot create its database in a missing directory either; creating one here
        // could put the data beside a node's directory rather than in it.
        if (!Files.isDirectory(dir)) {
            throw new CommandFailure("no such directory: " + dir);
        }
        DemoWriter.LastCommit last = DemoWriter.run(dir.resolve("snkv.db"), DemoWriter.config(), size.chunks(),
                size.chunkSize(), out());
        err().println(last.line());
        return 0;
    }
}
