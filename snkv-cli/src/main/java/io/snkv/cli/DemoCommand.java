package io.snkv.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code snkv demo}: the seed demo's writer and reader against one local store; {@code snkv demo writer}
 * and {@code snkv demo reader} run each half on its own, against a primary's and a replica's directory.
 * Exit 0 on PASS, 1 on FAIL or an error, 2 on bad usage.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        subcommands = {DemoWriterCommand.class, DemoReaderCommand.class, DemoClusterCommand.class},
        description = {"Write N chunks into DIR/snkv.db in WAL mode, close it, reopen it read-only and"
                + " verify every byte (the seed demo's writer and reader). The subcommands run one half each."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "directory of snkv.db (default: ${DEFAULT-VALUE})")
    private Path dir = Path.of("demo-data");

    @Mixin
    private DemoChunkOptions size;

    @Override
    public Integer call() {
        SnkvCommand root = (SnkvCommand) spec.root().userObject();
        try {
            Files.createDirectories(dir);
            Path db = dir.resolve("snkv.db");
            DemoWriter.run(db, DemoWriter.config(), size.chunks(), size.chunkSize(), root.out());
            root.out().println();
            return DemoReader.run(db, size.chunks(), size.chunkSize(), root.out()) ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            root.err().println("snkv demo: " + e.getMessage());
            return 1;
        }
    }
}
