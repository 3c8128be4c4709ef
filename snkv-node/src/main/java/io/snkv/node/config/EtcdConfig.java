package io.snkv.node.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code lease.etcd:} section (ours; LEASES.md sections 3 and 5). Checked only when
 * {@code lease.type} is etcd.
 *
 * @param endpoints client URLs, tried in order
 * @param key the lease key, e.g. {@code snkv-demo/primary}
 * @param ttl lease TTL, default 10s, whole seconds (etcd grants whole seconds)
 * @param dialTimeout connect timeout per endpoint, default 2s
 * @param requestTimeout per unary call, default 2s (further capped by the lease fence)
 * @param username "" unless etcd auth is on; then {@code password} is set too
 */
public record EtcdConfig(
        List<String> endpoints,
        String key,
        Duration ttl,
        Duration dialTimeout,
        Duration requestTimeout,
        String username,
        String password) {
    public EtcdConfig {
        endpoints = List.copyOf(endpoints);
    }

    /** Leaves the password out, so logging the config does not leak it. */
    @Override
    public String toString() {
        return "EtcdConfig[endpoints=" + endpoints + ", key=" + key + ", ttl=" + GoDuration.format(ttl)
                + ", dialTimeout=" + GoDuration.format(dialTimeout) + ", requestTimeout="
                + GoDuration.format(requestTimeout) + ", username=" + username + ", password="
                + (password.isEmpty() ? "" : "(set)") + "]";
    }
}
