package io.snkv.node.config;

import java.time.Duration;

/**
 * The {@code http:} section: the node's HTTP server (stream, handoff, debug endpoints).
 *
 * @param addr as written, Go listen syntax: {@code :20202}, {@code 127.0.0.1:20202}, {@code [::1]:20202}
 * @param host the host part of {@code addr}; "" listens on every interface
 * @param port the port part, 0..65535; 0 asks the system for a free port
 * @param snapshotTimeout how long sending one snapshot may take; zero means {@code data.retention}
 *     (see {@link NodeConfig#snapshotTimeout()})
 */
public record HttpConfig(String addr, String host, int port, Duration snapshotTimeout) {}
