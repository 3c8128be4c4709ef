package io.snkv;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link SharingChildMain} role in its own JVM: the "other process" of the multi-process sharing tests.
 * Its stdout and stderr go to files (the child never blocks on a full pipe, and what it printed before a
 * SIGKILL is kept); its stdin is a pipe the test may write lines to, or {@code /dev/null}.
 *
 * <p>Not thread-safe, except {@link #sendLine}, which a test may call from a helper thread.
 */
final class SharingChild {
    /** Exit status of a process ended by SIGKILL. */
    static final int KILLED = 128 + 9;

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private SharingChild(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code role} with {@code args}; output files are {@code <dir>/<name>.out|.err}. With
     * {@code stdinPipe} false the child reads end-of-file at once.
     */
    static SharingChild start(Path dir, String name, boolean stdinPipe, String role, List<String> args)
            throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx192m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(SharingChildMain.class.getName());
        cmd.add(role);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (!stdinPipe) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        return new SharingChild(name, pb.start(), out, err);
    }

    /** Test and main classes first (surefire may hand us a manifest-only jar), then the whole class path. */
    private static String classPath() {
        try {
            String tests = Path.of(SharingChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            String main = Path.of(KVStore.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return tests + File.pathSeparator + main + File.pathSeparator + System.getProperty("java.class.path");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The stdout lines the child finished writing (a line cut off by a kill is left out). */
    List<String> lines() throws IOException {
        String text = Files.readString(stdout, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return List.of(text.substring(0, end).split("\n"));
    }

    /** The last complete stdout line starting with {@code prefix}, or null. */
    String lastLine(String prefix) throws IOException {
        List<String> all = lines();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).startsWith(prefix)) {
                return all.get(i);
            }
        }
        return null;
    }

    /**
     * Waits up to {@code millis} for a complete stdout line starting with {@code prefix} and returns it;
     * null when the time ran out or the child exited without printing it.
     */
    String awaitLine(String prefix, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            String line = lastLine(prefix);
            if (line != null) {
                return line;
            }
            if (!process.isAlive()) {
                return lastLine(prefix); // it may have printed just before exiting
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(5);
        }
    }

    /** Writes one line to the child's stdin (started with a pipe). */
    synchronized void sendLine(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits up to {@code millis} for the child to exit; its exit status, or -1 if it is still running. */
    int waitFor(long millis) throws InterruptedException {
        if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        return -1;
    }

    /**
     * Waits until every child has exited with status 0; fails at once, describing the child, when one exits
     * with another status, and when they are not all done within {@code millis}.
     */
    static void awaitAllSucceed(List<SharingChild> children, long millis, String where) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            boolean running = false;
            for (SharingChild c : children) {
                if (c.process.isAlive()) {
                    running = true;
                } else if (c.process.exitValue() != 0) {
                    throw new AssertionError(where + ": child failed: " + c.describe());
                }
            }
            if (!running) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder b = new StringBuilder(where + ": children still running after " + millis + " ms:");
                for (SharingChild c : children) {
                    if (c.process.isAlive()) {
                        b.append("\n  ").append(c.describe());
                    }
                }
                throw new AssertionError(b.toString());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Asks the child JVM for a thread dump (SIGQUIT; the JVM prints it to its stdout and runs on) and
     * returns it, for a failure message about a child that seems stuck.
     */
    String threadDump() {
        try {
            long before = Files.size(stdout);
            new ProcessBuilder("kill", "-3", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(1000);
            String text = Files.readString(stdout, StandardCharsets.UTF_8);
            String dump = text.substring((int) Math.min(before, text.length()));
            return dump.length() > 12000 ? dump.substring(0, 12000) + "..." : dump;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + ": child JVM did not die within 30 s of SIGKILL");
        }
        return process.exitValue();
    }

    /** Kills the child if it still runs; for cleanup, never throws. */
    void destroy() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The child's stderr, cut to a few KB. */
    String stderr() {
        try {
            String s = Files.readString(stderr, StandardCharsets.UTF_8);
            return s.length() > 6000 ? s.substring(0, 6000) + "..." : s;
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** Everything useful for a failure message: name, state, last stdout lines, stderr. */
    String describe() {
        StringBuilder b = new StringBuilder(name);
        b.append(process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")");
        try {
            List<String> all = lines();
            b.append("; last stdout lines: ").append(all.subList(Math.max(0, all.size() - 8), all.size()));
        } catch (IOException e) {
            b.append("; stdout unreadable: ").append(e);
        }
        String err = stderr();
        if (!err.isBlank()) {
            b.append("; stderr:\n").append(err);
        }
        return b.toString();
    }

    /** The children a test started; {@link #close} kills any still running. */
    static final class Group implements AutoCloseable {
        private final Path dir;
        private final List<SharingChild> children = new ArrayList<>();

        Group(Path dir) {
            this.dir = dir;
        }

        SharingChild start(String name, String role, String... args) throws IOException {
            return add(SharingChild.start(dir, name, false, role, List.of(args)));
        }

        SharingChild startWithStdin(String name, String role, String... args) throws IOException {
            return add(SharingChild.start(dir, name, true, role, List.of(args)));
        }

        private SharingChild add(SharingChild c) {
            children.add(c);
            return c;
        }

        @Override
        public void close() {
            for (SharingChild c : children) {
                c.destroy();
            }
        }
    }
}
