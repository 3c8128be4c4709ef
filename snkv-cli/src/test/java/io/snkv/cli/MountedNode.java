package io.snkv.cli;

import io.snkv.node.NodeDescriptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test support: one {@code snkv mount -config <name>.yml} process in its own JVM (64 MiB heap, this JVM's class
 * path), run in {@code dir} with its output appended to {@code <name>.log}, and what its {@code /debug/vars} says.
 * Its HTTP port may be 0: the node's descriptor in its served directory names the port it got.
 */
final class MountedNode {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path dir;
    private final String name;
    private final Path servedDir;
    private final Process process;

    private MountedNode(Path dir, String name, Path servedDir, Process process) {
        this.dir = dir;
        this.name = name;
        this.servedDir = servedDir;
        this.process = process;
    }

    /** Starts the node configured by {@code <dir>/<name>.yml}, serving {@code servedDir}. */
    static MountedNode start(Path dir, String name, Path servedDir) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "mount", "-config", name + ".yml");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                .redirectErrorStream(true).start();
        return new MountedNode(dir, name, servedDir, p);
    }

    /** The URL this process's HTTP server answers on, once its descriptor says so; else null. */
    String url() {
        try {
            NodeDescriptor d = NodeDescriptor.read(servedDir.resolve(NodeDescriptor.FILE_NAME));
            return d.pid() == process.pid() ? d.httpUrl() : null;
        } catch (IOException | RuntimeException e) {
            return null; // not written yet, or being replaced
        }
    }

    /** {@code /debug/vars}, or "" while the node does not answer. */
    String vars() {
        return get("/debug/vars");
    }

    /** The body of {@code GET path} (e.g. {@code /metrics}), or "" while the node does not answer. */
    String get(String path) {
        String url = url();
        if (url == null) {
            return "";
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** Waits until the node says it is ready (primary, or replica that got READY). */
    MountedNode awaitReady(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!vars().contains("\"ready\": true")) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(name + " node at " + url() + " not ready after " + seconds + " s (alive: "
                        + process.isAlive() + "); its log:\n" + log() + "\n" + vars());
            }
            Thread.sleep(20);
        }
        return this;
    }

    /** {@code <txid>/<checksum>} of database {@code db} as the node reports it, or "none". */
    String position(String db) {
        String n = Pattern.quote(db);
        Matcher m = Pattern.compile("\"" + n + "\":\\{\"name\":\"" + n
                + "\",\"txid\":\"([0-9a-f]{16})\",\"checksum\":\"([0-9a-f]{16})\"").matcher(vars());
        return m.find() ? m.group(1) + "/" + m.group(2) : "none";
    }

    String log() throws IOException {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (a clean stop), and wait for it. */
    void stop() throws InterruptedException {
        if (!terminate(20)) {
            kill();
        }
    }

    /** SIGTERM; whether the process ended within {@code seconds}. */
    boolean terminate(int seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }
}
