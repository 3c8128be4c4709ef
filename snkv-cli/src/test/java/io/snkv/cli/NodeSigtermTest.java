package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.ReadOnlyException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(MountedNode node, String path, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!node.get(path).contains(text)) {
            assertThat(System.nanoTime()).as("%s never showed %s: %s", path, text, node.get(path)).isLessThan(deadline);
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
        MountedNode primary = MountedNode.start(dir, "primary", dir.resolve("mnt1"));
        MountedNode replica = MountedNode.start(dir, "replica", dir.resolve("mnt2"));
        try {
            primary.awaitReady(60);
            replica.awaitReady(60);
            try (KVStore app = KVStore.open(dir.resolve("mnt1/t.db"))) {
                app.put("before", "sigterm");
            }
            await(replica, "/debug/vars", "\"txid\":\"0000000000000002\"");
            assertThat(primary.terminate(30)).as("stopped by SIGTERM").isTrue();
            await(replica, "/metrics", "snkv_stream_frames_received_total{type=\"end\"} 1.0");
            assertThat(Files.readString(dir.resolve("mnt1/.snkv-node"))).contains("\"role\":\"none\"");
            try (KVStore app = KVStore.open(dir.resolve("mnt1/t.db"))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.put("after", "sigterm"))
                        .isInstanceOf(ReadOnlyException.class);
            }
            assertThat(primary.log()).doesNotContain("Exception");
            primary = MountedNode.start(dir, "primary", dir.resolve("mnt1"));
            primary.awaitReady(60);
            try (KVStore app = KVStore.open(dir.resolve("mnt1/t.db"), KVStoreConfig.builder().readOnly(true).build())) {
                assertThat(app.getString("before")).contains("sigterm");
                assertThat(app.getString("after")).isEmpty();
            }
        } finally {
            primary.stop();
            replica.stop();
        }
    }
}
