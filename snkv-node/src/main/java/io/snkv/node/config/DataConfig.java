package io.snkv.node.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code data:} section: the node's own files (cluster id, LTX logs, positions; REPLICATION.md 5.1).
 *
 * @param dir absolute, normalized; default {@code /var/lib/litefs}
 * @param compress accepted and ignored: LTX v3 always compresses pages (false gives a warning)
 * @param retention how long LTX files are kept, default 10m; zero or negative turns retention off
 *     (every file is kept), as in litefs {@code Store.EnforceRetention}
 * @param retentionMonitorInterval how often retention runs, default 1m; zero or negative: never
 */
public record DataConfig(Path dir, boolean compress, Duration retention, Duration retentionMonitorInterval) {
    /** Whether old LTX files are ever removed: both durations positive. */
    public boolean retentionEnforced() {
        return retention.compareTo(Duration.ZERO) > 0 && retentionMonitorInterval.compareTo(Duration.ZERO) > 0;
    }
}
