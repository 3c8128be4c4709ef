package io.snkv.node.config;

import java.time.Duration;

/**
 * The {@code lease.consul:} section (LEASES.md sections 3 and 4). Checked only when
 * {@code lease.type} is consul; otherwise the defaults or whatever was written, unchecked.
 *
 * @param url base URL; a path becomes a key prefix, a userinfo password the {@code X-Consul-Token}
 * @param key the lease key, e.g. {@code snkv-demo/primary}
 * @param ttl session TTL, default 10s; Consul accepts 10s..24h
 * @param lockDelay default 1s; 0..60s (Consul's maximum). Unlike LiteFS, which takes 0 as "use the
 *     default", 0 here is sent as 0
 */
public record ConsulConfig(String url, String key, Duration ttl, Duration lockDelay) {
    /** Leaves a userinfo token out of the URL, so logging the config does not leak it. */
    @Override
    public String toString() {
        return "ConsulConfig[url=" + url.replaceFirst("//[^/@]*@", "//(userinfo)@") + ", key=" + key
                + ", ttl=" + GoDuration.format(ttl) + ", lockDelay=" + GoDuration.format(lockDelay) + "]";
    }
}
