/**
 * The node's configuration file ({@code node.yml}, LiteFS's {@code litefs.yml} format), as
 * {@code REPLICATION.md} section 7 and {@code LEASES.md} section 3 specify it.
 *
 * <p>This package owns reading that file into an immutable {@link io.snkv.node.config.NodeConfig}:
 * finding it ({@link io.snkv.node.config.NodeConfigLoader#discover}), LiteFS's environment expansion
 * on the raw text ({@link io.snkv.node.config.EnvExpansion}), strict YAML parsing with Jackson's YAML
 * parser, Go duration syntax ({@link io.snkv.node.config.GoDuration}), defaults, derived values
 * (host name, advertise URL, absolute paths) and validation. Every problem is one
 * {@link io.snkv.node.config.NodeConfigException} whose one-line message names the dotted key, the
 * value and what is wrong; keys accepted but without effect yet come back as warnings.
 *
 * <p>It reads files and the environment it is given and touches nothing else: it creates no
 * directories, opens no sockets, starts no lease. It calls the JDK, Jackson (core and YAML) and
 * {@code io.snkv}'s exception types; the rest of {@code io.snkv.node} calls it.
 */
package io.snkv.node.config;
