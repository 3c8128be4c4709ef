package io.snkv.cli;

import io.snkv.KVException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception out of a command into one line on standard error, {@code <command>: <fault>},
 * and exit code 1; the stack trace only when the command was given {@code --debug}. Stateless.
 */
final class FailureReport implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        boolean debug = cl.getCommand() instanceof ToolCommand t && t.debug();
        PrintWriter err = cl.getErr();
        String line = cl.getCommandSpec().qualifiedName(" ") + ": " + describe(ex);
        if (!expected(ex)) {
            line += debug || !(cl.getCommand() instanceof ToolCommand) ? "" : " (run with --debug for the stack trace)";
        }
        err.println(line);
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The fault in words: the message of the errors users cause, the type too for anything else. */
    static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getMessage();
        }
        if (expected(e) && e.getMessage() != null) {
            return e.getMessage();
        }
        return "internal error: " + e;
    }

    private static boolean expected(Throwable e) {
        return e instanceof CommandFailure || e instanceof KVException || e instanceof IOException
                || e instanceof UncheckedIOException;
    }
}
