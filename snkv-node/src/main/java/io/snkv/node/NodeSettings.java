package io.snkv.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a node needs to run, already resolved and validated (the YAML configuration maps onto this).
 *
 * @param servedDir        the directory applications open databases in ({@code fuse.dir})
 * @param dataDir          change logs, positions, spools ({@code data.dir})
 * @param httpHost         address to listen on, null or empty for every interface
 * @param httpPort         port to listen on (0: any free one)
 * @param hostname         this node's name ({@code lease.hostname})
 * @param advertiseUrl     how other nodes reach this one ({@code lease.advertise-url})
 * @param primary          static lease: this node is the primary
 * @param primaryHostname  static lease, replica: the primary's host name
 * @param primaryUrl       static lease, replica: the primary's advertise URL
 * @param retention        how long LTX files are kept
 * @param reconnectDelay   the first backoff step of a replica's stream
 * @param databases        stream filter (empty: every database)
 * @param retentionInterval how often old LTX files are swept ({@code data.retention-monitor-interval})
 * @param snapshotTimeout  the longest one SNAPSHOT frame may take to send; zero: no limit
 * @param strictVerify     a full database checksum after every commit and apply ({@code strict-verify})
 */
public record NodeSettings(Path servedDir, Path dataDir, String httpHost, int httpPort, String hostname,
                           String advertiseUrl, boolean primary, String primaryHostname, String primaryUrl,
                           Duration retention, Duration reconnectDelay, List<String> databases,
                           Duration retentionInterval, Duration snapshotTimeout, boolean strictVerify) {
    public NodeSettings {
        databases = List.copyOf(databases);
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException("the retention sweep interval must be positive, got " + retentionInterval);
        }
    }

    /** With LiteFS's defaults for the rest: a sweep a minute, snapshots limited to the retention, no strict verification. */
    public NodeSettings(Path servedDir, Path dataDir, String httpHost, int httpPort, String hostname,
                        String advertiseUrl, boolean primary, String primaryHostname, String primaryUrl,
                        Duration retention, Duration reconnectDelay, List<String> databases) {
        this(servedDir, dataDir, httpHost, httpPort, hostname, advertiseUrl, primary, primaryHostname, primaryUrl,
                retention, reconnectDelay, databases, Duration.ofMinutes(1), retention, false);
    }
}
