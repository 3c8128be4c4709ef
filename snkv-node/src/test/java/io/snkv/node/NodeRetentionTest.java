package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applications' stores keep log files as long as their node's {@code data.retention} says, not their own default. */
class NodeRetentionTest {
    @TempDir
    Path dir;

    private Node primary(Duration retention) throws Exception {
        return Node.start(new NodeSettings(dir.resolve("mnt"), dir.resolve("data"), "127.0.0.1", 0, "host1",
                null, true, null, null, retention, Duration.ofMillis(100), List.of()));
    }

    private long logFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("data/dbs/app.db/ltx"))) {
            return s.filter(p -> p.toString().endsWith(".ltx")).count();
        }
    }

    @Test
    void aShortNodeRetentionReachesTheApplicationsStore() throws Exception {
        try (Node node = primary(Duration.ofMillis(1))) {
            assertThat(NodeDescriptor.read(dir.resolve("mnt/.snkv-node")).retentionMillis()).isEqualTo(1);
            try (KVStore app = KVStore.open(dir.resolve("mnt/app.db"))) {
                for (int i = 0; i < 6; i++) {
                    app.put("k" + i, "v" + i);
                }
                assertThat(logFiles()).isGreaterThan(1);
                Thread.sleep(5); // past the 1 ms retention of every file but the newest
                app.enforceCaptureRetention();
                assertThat(logFiles()).isEqualTo(1); // the newest is always kept
                assertThat(app.getString("k5")).contains("v5");
            }
        }
    }

    @Test
    void theDefaultTenMinutesKeepsEveryRecentFile() throws Exception {
        try (Node node = primary(Duration.ofMinutes(10))) {
            try (KVStore app = KVStore.open(dir.resolve("mnt/app.db"))) {
                for (int i = 0; i < 6; i++) {
                    app.put("k" + i, "v" + i);
                }
                app.enforceCaptureRetention();
                assertThat(logFiles()).isEqualTo(7); // the creation (TXID 1) and six puts
            }
        }
    }

    @Test
    void applicationsCheckpointTheirWalAsSqliteWouldOnItsOwn() throws Exception {
        try (Node node = primary(Duration.ofMinutes(10))) {
            Path wal = dir.resolve("mnt/app.db-wal");
            long largest = 0;
            try (KVStore app = KVStore.open(dir.resolve("mnt/app.db"))) {
                for (int i = 0; i < 4 * ReplicatedDatabase.AUTO_CHECKPOINT_COMMITS; i++) {
                    app.put("k" + (i % 50), "v" + i);
                    if (i % 100 == 0) {
                        largest = Math.max(largest, Files.size(wal));
                    }
                }
                // One page a commit: without checkpoints the WAL would hold about 4,000 frames of 4 KiB.
                assertThat(largest).isLessThan((long) (1.5 * ReplicatedDatabase.AUTO_CHECKPOINT_COMMITS) * (4096 + 24) * 2);
                assertThat(Files.size(wal)).isLessThan(3L * ReplicatedDatabase.AUTO_CHECKPOINT_COMMITS * (4096 + 24));
            }
        }
    }
}
