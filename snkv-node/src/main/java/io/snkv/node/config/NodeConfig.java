package io.snkv.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node's configuration: node.yml with LiteFS's defaults applied, paths absolute, derived values
 * filled in and everything checked (REPLICATION.md section 7). Made by {@link NodeConfigLoader}.
 * Immutable, so safe to share between threads.
 *
 * @param exec commands run once the node is ready, in order; all but the last synchronously
 * @param skipSync run {@code exec} without waiting for ready
 * @param exitOnError exit 1 on a startup failure (default true), else stay up for debugging
 * @param strictVerify full database checksum after every commit and apply
 * @param tracing accepted, ignored
 * @param proxy accepted, no effect yet
 * @param backup accepted, no effect yet
 * @param warnings one line each: keys set that have no effect (yet), and doubtful settings
 */
public record NodeConfig(
        FuseConfig fuse,
        DataConfig data,
        HttpConfig http,
        LeaseConfig lease,
        List<ExecCommand> exec,
        boolean skipSync,
        boolean exitOnError,
        boolean strictVerify,
        LogConfig log,
        TracingConfig tracing,
        ProxyConfig proxy,
        BackupConfig backup,
        List<String> warnings) {
    public NodeConfig {
        exec = List.copyOf(exec);
        warnings = List.copyOf(warnings);
    }

    /**
     * How long sending one snapshot may take: {@code http.snapshot-timeout}, or {@code data.retention}
     * when that is 0 (litefs: past retention the next LTX file may be gone). Empty, no limit, when
     * retention is off too: nothing ages out then.
     */
    public Optional<Duration> snapshotTimeout() {
        if (http.snapshotTimeout().compareTo(Duration.ZERO) > 0) {
            return Optional.of(http.snapshotTimeout());
        }
        return data.retention().compareTo(Duration.ZERO) > 0 ? Optional.of(data.retention()) : Optional.empty();
    }

    /** This config with {@code exec} replaced: the command line's {@code -- cmd args}. */
    public NodeConfig withExec(List<ExecCommand> commands) {
        return new NodeConfig(fuse, data, http, lease, commands, skipSync, exitOnError, strictVerify, log,
                tracing, proxy, backup, warnings);
    }

    /** This config with {@code log.debug} set: the command line's {@code -debug}. */
    public NodeConfig withLogDebug(boolean debug) {
        return new NodeConfig(fuse, data, http, lease, exec, skipSync, exitOnError, strictVerify,
                new LogConfig(log.format(), log.timestamp(), debug), tracing, proxy, backup, warnings);
    }
}
