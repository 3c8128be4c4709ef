package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.ReadOnlyException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops a node process cleanly: its replicas' streams get END, its descriptor says {@code none} (so
 * applications in its directory can no longer commit), and what it committed is there after a restart.
 */
class NodeSigtermTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process mount(String name) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "mount", "-config", name + ".yml")
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
    }

    private String get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private void await(int port, String path, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!get(port, path).contains(text)) {
            assertThat(System.nanoTime()).as("%s on %d never showed %s: %s", path, port, text, get(port, path)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aTerminatedPrimaryEndsItsStreamsAndStopsItsApplicationsWriting() throws Exception {
        int p1 = freePort();
        int p2 = freePort();
        Files.writeString(dir.resolve("primary.yml"), "fuse:\n  dir: ./mnt1\ndata:\n  dir: ./data1\nhttp:\n  addr: \"127.0.0.1:" + p1
                + "\"\nlease:\n  type: static\n  candidate: true\n  advertise-url: \"http://127.0.0.1:" + p1 + "\"\n");
        Files.writeString(dir.resolve("replica.yml"), "fuse:\n  dir: ./mnt2\ndata:\n  dir: ./data2\nhttp:\n  addr: \"127.0.0.1:" + p2
                + "\"\nlease:\n  type: static\n  candidate: false\n  hostname: host1\n  advertise-url: \"http://127.0.0.1:"
                + p1 + "\"\n  reconnect-delay: 30s\n");
        Process primary = mount("primary");
        Process replica = mount("replica");
        try {
            await(p1, "/debug/vars", "\"ready\": true");
            await(p2, "/debug/vars", "\"ready\": true");
            try (KVStore app = KVStore.open(dir.resolve("mnt1/t.db"))) {
                app.put("before", "sigterm");
            }
            await(p2, "/debug/vars", "\"txid\":\"0000000000000002\"");
            primary.destroy(); // SIGTERM
            assertThat(primary.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await(p2, "/metrics", "snkv_stream_frames_received_total{type=\"end\"} 1.0");
            assertThat(Files.readString(dir.resolve("mnt1/.snkv-node"))).contains("\"role\":\"none\"");
            try (KVStore app = KVStore.open(dir.resolve("mnt1/t.db"))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.put("after", "sigterm"))
                        .isInstanceOf(ReadOnlyException.class);
            }
            assertThat(Files.readString(dir.resolve("primary.log"))).doesNotContain("Exception");
            primary = mount("primary");
            await(p1, "/debug/vars", "\"ready\": true");
            try (KVStore app = KVStore.open(dir.resolve("mnt1/t.db"), KVStoreConfig.builder().readOnly(true).build())) {
                assertThat(app.getString("before")).contains("sigterm");
                assertThat(app.getString("after")).isEmpty();
            }
        } finally {
            for (Process p : List.of(primary, replica)) {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
