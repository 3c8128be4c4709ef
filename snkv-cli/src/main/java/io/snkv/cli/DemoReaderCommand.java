package io.snkv.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code snkv demo reader}: the seed's {@code snkv_reader} on its own, against a replica's directory,
 * opening the store read-only. Standard output carries exactly the C program's lines. Exit 0 on PASS; 1 on
 * FAIL, a missing database (every chunk reported missing, and one line on standard error naming the file)
 * or a store error; 2 on bad usage.
 */
@Command(name = "reader", mixinStandardHelpOptions = true,
        description = {"Open DIR/snkv.db read-only and verify N chunks byte by byte (the seed's snkv_reader)."})
final class DemoReaderCommand extends ToolCommand {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "directory of snkv.db: a replica's directory (default: ${DEFAULT-VALUE})")
    private Path dir = Path.of("./mnt2");

    @Mixin
    private DemoChunkOptions size;

    @Override
    public Integer call() {
        Path db = dir.resolve("snkv.db");
        boolean pass;
        if (Files.exists(db)) {
            pass = DemoReader.run(db, size.chunks(), size.chunkSize(), out());
        } else {
            // The C reader's open creates an empty file and then finds no chunk; a read-only open creates
            // nothing (a replica's directory is not ours to write), so report what that run would.
            err().println(spec.qualifiedName(" ") + ": no such file: " + db + " (no chunk can be found)");
            pass = DemoReader.verify(key -> Optional.empty(), size.chunks(), size.chunkSize(), out());
        }
        return pass ? 0 : 1;
    }
}
