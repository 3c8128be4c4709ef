package io.snkv.cli;

import java.io.PrintStream;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/**
 * The top of the {@code snkv} command tree. It holds the two byte streams every subcommand writes to,
 * so that a command writing binary data (an LTX file on standard output) and the tests that run
 * commands in-process see the same streams as picocli's own help text. One instance per run.
 */
@Command(name = "snkv", mixinStandardHelpOptions = true, versionProvider = SnkvCommand.Version.class,
        description = "SNKV for Java: an SQLite-format key-value store with LTX change capture.",
        subcommands = {DemoCommand.class, MountCommand.class, LtxCommand.class, HelpCommand.class})
final class SnkvCommand {
    private final PrintStream out;
    private final PrintStream err;

    SnkvCommand(PrintStream out, PrintStream err) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Standard output; also takes raw bytes. */
    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** The jar manifest's Implementation-Version (absent when run from classes, as in tests). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SnkvCommand.class.getPackage().getImplementationVersion();
            return new String[] {"snkv " + (v != null ? v : "(development build)")};
        }
    }
}
