package io.snkv.internal.pager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A python3 script run as a child process, spoken to by lines on stdin and stdout, every wait bounded.
 * Its stderr goes to a file that failure messages quote.
 */
final class PythonProcess implements AutoCloseable {
    private static final String EOF = "\u0000EOF";
    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final Path stderr;

    /** Whether {@code python3} with its {@code sqlite3} module can be run here. */
    static boolean sqliteAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sqlite3").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    PythonProcess(Path script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        stderr = Files.createTempFile(script.getParent(), "python-", ".err");
        process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the process went away; EOF below says so
            }
            lines.add(EOF);
        }, "python-stdout");
        t.setDaemon(true);
        t.start();
    }

    /** Lines up to and including the first that starts with {@code prefix}. */
    List<String> readUntil(String prefix) throws IOException, InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || l.equals(EOF)) {
                throw new IOException((l == null ? "timed out" : "python exited") + " waiting for " + prefix
                        + "; stderr: " + Files.readString(stderr));
            }
            got.add(l);
            if (l.startsWith(prefix)) {
                return got;
            }
        }
    }

    /** The words of the first line starting with {@code prefix}. */
    String[] expect(String prefix) throws IOException, InterruptedException {
        List<String> got = readUntil(prefix);
        return got.get(got.size() - 1).split(" ");
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    int awaitExit() throws IOException, InterruptedException {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException("python did not exit");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
