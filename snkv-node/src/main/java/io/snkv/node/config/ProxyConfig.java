package io.snkv.node.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code proxy:} section: LiteFS's HTTP proxy for write forwarding and read consistency. Accepted;
 * no effect yet. Defaults are LiteFS's: max-lag 10s, primary-redirect-timeout 5s, read-header-timeout
 * 10s, idle-timeout 30s, read and write timeouts 0 (none). Unset strings are "".
 */
public record ProxyConfig(
        String addr,
        String target,
        String db,
        Duration maxLag,
        boolean debug,
        List<String> passthrough,
        List<String> alwaysForward,
        Duration primaryRedirectTimeout,
        Duration readTimeout,
        Duration readHeaderTimeout,
        Duration writeTimeout,
        Duration idleTimeout) {
    public ProxyConfig {
        passthrough = List.copyOf(passthrough);
        alwaysForward = List.copyOf(alwaysForward);
    }
}
