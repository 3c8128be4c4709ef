package io.snkv;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code sqlite3} command-line tool (Debian package {@code sqlite3}) on a database file. */
final class SqliteCli {
    /** Exit status and stdout and stderr together. */
    record Run(int status, String output) {
    }

    private SqliteCli() {
    }

    /** sqlite3's version line, or "" when it is not on the PATH. */
    static String version() {
        try {
            Run r = run(List.of("sqlite3", "--version"));
            return r.status() == 0 ? r.output().trim() : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** Runs {@code sql} on {@code db}; fails when sqlite3 takes more than 60 s. */
    static Run exec(Path db, String sql) throws IOException, InterruptedException {
        return run(List.of("sqlite3", db.toString(), sql));
    }

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
