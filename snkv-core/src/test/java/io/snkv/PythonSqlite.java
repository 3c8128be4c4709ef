package io.snkv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs short python3 scripts that use the real SQLite library (python's sqlite3 module) on a database. */
final class PythonSqlite {
    private PythonSqlite() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sqlite3").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Asks SQLite for the write lock at once ({@code BEGIN IMMEDIATE}, no busy wait); prints
     * {@code got write lock} or {@code error: <SQLite's message>}.
     */
    static String tryWriteLock(Path db) throws IOException, InterruptedException {
        return run("import sqlite3,sys\n"
                + "c=sqlite3.connect(sys.argv[1], timeout=0)\n"
                + "try:\n"
                + "  c.execute('BEGIN IMMEDIATE')\n"
                + "  print('got write lock')\n"
                + "except sqlite3.OperationalError as e:\n"
                + "  print('error:', e)\n", db);
    }

    /** Runs {@code script} with the database path as {@code sys.argv[1]}; returns what it printed. */
    static String run(String script, Path db) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", script, db.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python3 did not finish within 30 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
