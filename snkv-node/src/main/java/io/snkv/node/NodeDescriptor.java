package io.snkv.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The node descriptor, {@code <served dir>/.snkv-node} (REPLICATION.md 5.2): how applications in any process
 * find the node serving a directory, and whether they may commit. Written by the node at startup, on each
 * role change and lease renewal, through a temporary file and a rename, so readers see one whole version.
 *
 * @param nodeId          16 upper-case hex digits
 * @param role            {@code primary}, {@code replica}, {@code handoff} or {@code none}
 * @param writableUntil   ms since the epoch: the lease fence while primary, else 0
 * @param retentionMillis the node's {@code data.retention}, which applications' stores use too (0: unknown)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeDescriptor(
        @JsonProperty("version") int version,
        @JsonProperty("nodeID") String nodeId,
        @JsonProperty("pid") long pid,
        @JsonProperty("dataDir") String dataDir,
        @JsonProperty("httpURL") String httpUrl,
        @JsonProperty("role") String role,
        @JsonProperty("primaryHostname") String primaryHostname,
        @JsonProperty("primaryURL") String primaryUrl,
        @JsonProperty("writableUntil") long writableUntil,
        @JsonProperty("retentionMillis") long retentionMillis) {

    public static final String FILE_NAME = io.snkv.spi.ReplicationHook.DESCRIPTOR;
    /** A static lease's fence: year 3000, as LiteFS's StaticLease. */
    public static final long STATIC_LEASE_UNTIL = 32503680000000L;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static NodeDescriptor read(Path file) throws IOException {
        return JSON.readValue(Files.readAllBytes(file), NodeDescriptor.class);
    }

    /** Writes {@code <dir>/.snkv-node} through a temporary file and a rename. */
    public void writeTo(Path servedDir) throws IOException {
        Path tmp = servedDir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        Files.move(tmp, servedDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public NodeDescriptor withRole(String newRole, String hostname, String url, long until) {
        return new NodeDescriptor(version, nodeId, pid, dataDir, httpUrl, newRole, hostname, url, until, retentionMillis);
    }

    /** Why this process may not commit now, or null when it may (role primary, fence ahead, node alive). */
    String refusal(long nowMillis) {
        if (!"primary".equals(role)) {
            String primary = primaryHostname == null || primaryHostname.isEmpty() ? "unknown" : primaryHostname;
            return "read-only replica (primary: " + primary + ")";
        }
        if (nowMillis >= writableUntil) {
            return "read-only: the node's lease ended at " + java.time.Instant.ofEpochMilli(writableUntil);
        }
        if (!NodeLiveness.isAlive(pid, nowMillis)) {
            return "read-only: the node (pid " + pid + ") serving this directory is not running";
        }
        return null;
    }
}
