package io.snkv.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code snkv demo cluster}: the seed demo end to end, each part its own JVM limited to 64 MiB of heap: a
 * primary and a replica node on loopback (ports 20202 and 20203, directories as in the seed, static-lease
 * configurations as in {@code examples/}), the writer against the primary's directory, a wait until the
 * replica reports the writer's last TXID (read from its {@code /debug/vars}, no fixed sleep), the reader
 * against the replica's directory, the replication lag, then both nodes stopped with SIGTERM. Exit 0 when the
 * reader verified every byte, 1 otherwise.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Run the seed demo across a primary and a replica node (separate JVMs on loopback):",
                "writer on the primary's directory, reader on the replica's, every byte verified."})
final class DemoClusterCommand extends ToolCommand {
    private static final Pattern LAST_COMMIT = Pattern.compile("last-commit txid=([0-9a-f]{16}) unix-ms=(\\d+)");
    private static final Pattern REPLICA_TXID = Pattern.compile("\"snkv\\.db\":\\{\"name\":\"snkv\\.db\",\"txid\":\"([0-9a-f]{16})\"");

    @Option(names = "--dir", paramLabel = "DIR", description = "working directory, emptied first (default: ${DEFAULT-VALUE})")
    private Path dir = Path.of("demo-cluster");

    @Option(names = "--heap", paramLabel = "SIZE", description = "-Xmx of every JVM (default: ${DEFAULT-VALUE})")
    private String heap = "64m";

    @Mixin
    private DemoChunkOptions size;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Integer call() throws Exception {
        Path work = dir.toAbsolutePath().normalize();
        deleteTree(work);
        Files.createDirectories(work);
        copyExample("litefs1-static.yml", work.resolve("litefs1.yml"));
        copyExample("litefs2-static.yml", work.resolve("litefs2.yml"));
        List<Process> nodes = new ArrayList<>();
        try {
            out().println("Starting the primary (:20202, ./mnt1) and the replica (:20203, ./mnt2) in " + work);
            nodes.add(startJava(work, "node1", "mount", "-config", "litefs1.yml"));
            nodes.add(startJava(work, "node2", "mount", "-config", "litefs2.yml"));
            awaitReady("http://127.0.0.1:20202", nodes.get(0), work.resolve("node1.log"));
            awaitReady("http://127.0.0.1:20203", nodes.get(1), work.resolve("node2.log"));

            ReplicaWatch watch = new ReplicaWatch();
            Thread watcher = new Thread(watch, "replica-watch");
            watcher.setDaemon(true);
            watcher.start();
            Process writer = startJava(work, "writer", "demo", "writer", "--dir", "mnt1",
                    "--chunks", Integer.toString(size.chunks()), "--chunk-size", Integer.toString(size.chunkSize()));
            int w = finish(writer, work, "writer");
            if (w != 0) {
                err().println("snkv demo cluster: the writer failed (exit " + w + ")");
                return 1;
            }
            Matcher m = LAST_COMMIT.matcher(Files.readString(work.resolve("writer.err")));
            if (!m.find()) {
                err().println("snkv demo cluster: the writer did not report its last TXID (is the primary's node up?)");
                return 1;
            }
            long txid = Long.parseUnsignedLong(m.group(1), 16);
            long committedAt = Long.parseLong(m.group(2));
            long appliedSeenAt = watch.await(txid, nodes.get(1));
            watch.stop = true;
            out().printf("Replica reached TXID %d; replication lag from the writer's last commit: %d ms%n", txid,
                    Math.max(0, appliedSeenAt - committedAt));
            out().println();
            Process reader = startJava(work, "reader", "demo", "reader", "--dir", "mnt2",
                    "--chunks", Integer.toString(size.chunks()), "--chunk-size", Integer.toString(size.chunkSize()));
            int r = finish(reader, work, "reader");
            return r == 0 ? 0 : 1;
        } finally {
            for (Process p : nodes) {
                p.destroy(); // SIGTERM: the node ends its streams and marks its descriptor stopped
            }
            for (Process p : nodes) {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private Process startJava(Path work, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(absoluteClassPath()); // the children run in the work directory: `java -jar` gives a relative one
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(name.startsWith("node") ? work.resolve(name + ".log").toFile() : work.resolve(name + ".out").toFile())
                .redirectError(name.startsWith("node") ? ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile())
                        : ProcessBuilder.Redirect.to(work.resolve(name + ".err").toFile()))
                .start();
    }

    private static String absoluteClassPath() {
        StringBuilder b = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (b.length() > 0) {
                b.append(java.io.File.pathSeparator);
            }
            b.append(Path.of(entry).toAbsolutePath());
        }
        return b.toString();
    }

    /** Waits for a child, then copies its standard output to ours (the seed's lines). */
    private int finish(Process p, Path work, String name) throws IOException, InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            err().println("snkv demo cluster: the " + name + " did not finish within 120 s");
            return 1;
        }
        out().print(Files.readString(work.resolve(name + ".out"), StandardCharsets.UTF_8));
        String e = Files.readString(work.resolve(name + ".err"), StandardCharsets.UTF_8);
        for (String line : e.split("\n")) {
            if (!line.isBlank() && !line.startsWith("last-commit")) {
                err().println(line);
            }
        }
        return p.exitValue();
    }

    private void awaitReady(String url, Process node, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new CommandFailure("the node for " + url + " exited (" + node.exitValue() + "): " + lastLine(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/info")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"ready\":true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new CommandFailure("the node for " + url + " did not become ready within 60 s: " + lastLine(log));
    }

    /**
     * Polls the replica's /debug/vars from before the writer starts, noting when each TXID of snkv.db first
     * shows, so the lag is measured from the writer's last commit to the replica's report, not to whenever
     * this process got round to asking.
     */
    private final class ReplicaWatch implements Runnable {
        private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> firstSeen = new java.util.concurrent.ConcurrentSkipListMap<>();
        volatile boolean stop;

        @Override
        public void run() {
            while (!stop) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:20203/debug/vars"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    Matcher m = REPLICA_TXID.matcher(r.body());
                    if (m.find()) {
                        firstSeen.putIfAbsent(Long.parseUnsignedLong(m.group(1), 16), System.currentTimeMillis());
                    }
                    Thread.sleep(5);
                } catch (IOException e) {
                    // try again
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** When the replica first reported {@code txid} or later; waits up to 60 s. */
        long await(long txid, Process replica) throws InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                var e = firstSeen.ceilingEntry(txid);
                if (e != null) {
                    return e.getValue();
                }
                if (!replica.isAlive()) {
                    throw new CommandFailure("the replica node exited (" + replica.exitValue() + ")");
                }
                Thread.sleep(2);
            }
            throw new CommandFailure("the replica did not reach TXID " + txid + " within 60 s");
        }
    }

    /** The repository's {@code examples/} files travel in the jar (see snkv-cli's pom). */
    private static void copyExample(String name, Path target) throws IOException {
        try (var in = DemoClusterCommand.class.getResourceAsStream("/examples/" + name)) {
            if (in == null) {
                throw new CommandFailure("examples/" + name + " is missing from the build");
            }
            Files.copy(in, target);
        }
    }

    private static String lastLine(Path log) {
        try {
            String[] lines = Files.readString(log).trim().split("\n");
            return lines[lines.length - 1];
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
