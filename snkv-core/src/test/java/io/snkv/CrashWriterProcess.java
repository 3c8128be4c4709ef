package io.snkv;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@link CrashWriterMain} in a child JVM, its stdout and stderr going to files (so the child never
 * blocks on a pipe and nothing it printed before being killed is lost).
 */
final class CrashWriterProcess {
    /** Exit status of a process ended by SIGKILL. */
    static final int KILLED = 128 + 9;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CrashWriterProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static CrashWriterProcess start(Path workDir, int cycle, List<String> args) throws IOException {
        return start(workDir, "child-" + cycle, CrashWriterMain.class, args);
    }

    /** Runs {@code main} in a child JVM with this JVM's class path; output goes to {@code <name>.out/.err}. */
    static CrashWriterProcess start(Path workDir, String name, Class<?> main, List<String> args) throws IOException {
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new CrashWriterProcess(p, out, err);
    }

    /** Waits up to {@code millis} for a complete stdout line starting with {@code prefix}; true when seen. */
    boolean awaitLine(String prefix, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : completeLines()) {
                if (line.startsWith(prefix)) {
                    return true;
                }
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(2);
        }
        return false;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; its exit status. */
    int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child JVM did not die within 30 s of SIGKILL");
        }
        return process.exitValue();
    }

    /** The stdout lines the child finished writing (a line cut off by the kill is left out). */
    List<String> completeLines() throws IOException {
        String text = Files.readString(stdout, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return List.of(text.substring(0, end).split("\n"));
    }

    String stderr() throws IOException {
        String s = Files.readString(stderr, StandardCharsets.UTF_8);
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    void deleteOutput() throws IOException {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
