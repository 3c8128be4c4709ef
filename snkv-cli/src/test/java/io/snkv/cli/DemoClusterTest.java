package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command for real: a primary and a replica node, the writer and the reader, each its own
 * JVM with a 64 MiB heap, on loopback ports 20202 and 20203; the reader must verify every byte the writer put
 * into the primary, read from the replica.
 */
@Tag("slow")
class DemoClusterTest {
    @TempDir
    Path dir;

    @Test
    void theSeedDemoPassesAcrossAPrimaryAndAReplica() throws Exception {
        CliRun r = CliRun.of("demo", "cluster", "--dir", dir.resolve("cluster").toString(), "--chunks", "10");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Wrote chunk 9 (1048576 bytes)").contains("Chunk 9: 1048576 bytes [✓ VALID]")
                .contains("Data integrity: ✓ PASS").containsPattern("Replica reached TXID 11; replication lag from the "
                        + "writer's last commit: \\d+ ms");
        // Both nodes stopped cleanly: their descriptors say so.
        assertThat(Files.readString(dir.resolve("cluster/mnt1/.snkv-node"))).contains("\"role\":\"none\"");
        assertThat(Files.readString(dir.resolve("cluster/mnt2/.snkv-node"))).contains("\"role\":\"none\"");
        assertThat(Files.readString(dir.resolve("cluster/mnt2/.primary"))).isNotBlank();
    }
}
