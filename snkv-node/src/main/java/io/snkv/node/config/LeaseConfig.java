package io.snkv.node.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code lease:} section (REPLICATION.md section 7, LEASES.md section 3).
 *
 * @param type who decides the primary
 * @param hostname this node's name for others (the OS host name unless set); on a static replica, the
 *     primary's
 * @param advertiseUrl the URL others stream from: as written, or {@code http://<hostname>:<http port>};
 *     on a static replica, the primary's
 * @param advertiseUrlConfigured whether node.yml set {@code advertiseUrl}; if not, and the HTTP port is 0,
 *     the node takes {@link #advertiseUrlFor(int)} once it knows its port
 * @param candidate may take the lease (default true); static: true means "I am the primary"
 * @param promote once ready, a candidate asks the primary for a handoff to itself
 * @param reconnectDelay first backoff step after losing the stream or the lease, default 1s
 * @param demoteDelay default 10s; accepted, no effect yet
 * @param databases names to stream (replicas only; empty = all)
 * @param safetyMargin M of the lease fence (LEASES.md section 6): as written, else min(1s, ttl/4) of
 *     the chosen engine's TTL; zero for static (no fence)
 * @param consul used when {@code type} is consul
 * @param etcd used when {@code type} is etcd
 */
public record LeaseConfig(
        LeaseType type,
        String hostname,
        String advertiseUrl,
        boolean advertiseUrlConfigured,
        boolean candidate,
        boolean promote,
        Duration reconnectDelay,
        Duration demoteDelay,
        List<String> databases,
        Duration safetyMargin,
        ConsulConfig consul,
        EtcdConfig etcd) {
    public LeaseConfig {
        databases = List.copyOf(databases);
    }

    /** The advertise URL for an HTTP server bound to {@code boundPort}: as written, else derived. */
    public String advertiseUrlFor(int boundPort) {
        return advertiseUrlConfigured ? advertiseUrl : "http://" + hostname + ":" + boundPort;
    }
}
