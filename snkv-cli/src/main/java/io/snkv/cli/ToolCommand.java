package io.snkv.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A subcommand that writes to the run's streams and reports a failure as one line ({@link FailureReport}),
 * with {@code -v}/{@code --debug} for the stack trace. One instance per run, not thread-safe.
 */
abstract class ToolCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--debug"}, description = "On failure, print the stack trace too.")
    private boolean debug;

    boolean debug() {
        return debug;
    }

    PrintStream out() {
        return ((SnkvCommand) spec.root().userObject()).out();
    }

    PrintStream err() {
        return ((SnkvCommand) spec.root().userObject()).err();
    }
}
