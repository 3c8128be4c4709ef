package io.snkv.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point of the {@code snkv} command ({@code snkv --help} lists the subcommands).
 *
 * <pre>
 * snkv demo [--dir DIR] [--chunks N] [--chunk-size BYTES]
 *     writes N chunks (default 10 x 1 MiB) into DIR/snkv.db (default ./demo-data) in WAL mode, closes
 *     it, reopens it read-only and verifies every byte
 * snkv demo writer [--dir DIR] [--chunks N] [--chunk-size BYTES]
 *     the seed's snkv_writer alone, into DIR/snkv.db (default ./mnt1); then, on standard error,
 *     'last-commit [txid=&lt;16 hex&gt;] unix-ms=&lt;ms&gt;'
 * snkv demo reader [--dir DIR] [--chunks N] [--chunk-size BYTES]
 *     the seed's snkv_reader alone, on DIR/snkv.db (default ./mnt2) opened read-only; exit 0 on PASS
 * snkv ltx dump|verify|checksum|encode-db|apply ...
 *     the reference ltx tool's commands (see {@link LtxCommand})
 * </pre>
 *
 * Exit codes: 0 success, 1 failure (bad file, not applied, not found), 2 bad usage (picocli's
 * usage-error code). A failure is one line on standard error naming the file and the fault;
 * {@code -v}/{@code --debug} on an ltx command adds the stack trace. Each run builds its own command
 * objects: {@link #run} may be called from several threads with different streams.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs one command line against the given streams; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The command tree wired to {@code out} and {@code err}, with failures reported as one line. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new SnkvCommand(out, err));
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler(new FailureReport());
        return cl;
    }
}
