package io.snkv.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM driven line by line: started as {@link ChildProcess} starts its Java children (this JVM's binary, its
 * flags minus a debugger agent, its class path), told what to do through its standard input, answering on its
 * standard output; its standard error is passed through. Used by one thread.
 */
final class ChildJvm implements AutoCloseable {

    private static final String END = "\u0000end";

    private final String name;
    private final Process process;
    private final Writer control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    ChildJvm(String name, Class<?> mainClass, List<String> args) throws IOException {
        this.name = name;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib:jdwp")) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        System.err.println("start " + name + ": " + String.join(" ", command));
        this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.control = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread pump = new Thread(this::pump, "child-" + name + "-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    String name() {
        return name;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            System.err.println(name + ": reading its output failed: " + e);
        }
        lines.add(END);
    }

    void send(String line) throws IOException {
        try {
            control.write(line + "\n");
            control.flush();
        } catch (IOException e) {
            String state = process.isAlive() ? "still runs" : "exited with code " + process.exitValue();
            throw new IOException(name + " did not take '" + line + "' (it " + state + "): " + e.getMessage(), e);
        }
    }

    /** The next line starting with {@code prefix}; other lines are copied to standard error. */
    String await(String prefix, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IOException(name + " sent no '" + prefix + "' line within " + timeoutMillis + " ms");
            }
            if (line.equals(END)) {
                lines.add(END);
                throw new IOException(name + " ended its output before a '" + prefix + "' line");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            System.err.println(name + ": " + line);
        }
    }

    /** Waits for the process to exit; its exit code, or -1 if it had to be killed. */
    int waitFor(long timeoutMillis) throws InterruptedException {
        if (process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        System.err.println(name + " did not exit within " + timeoutMillis + " ms: killing it");
        process.destroyForcibly().waitFor();
        return -1;
    }

    /** Makes sure the process is gone (killing it if it still runs). */
    @Override
    public void close() throws InterruptedException {
        try {
            control.close();
        } catch (IOException e) {
            // the child already closed its input
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
