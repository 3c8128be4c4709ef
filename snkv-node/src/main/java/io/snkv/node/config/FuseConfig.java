package io.snkv.node.config;

import java.nio.file.Path;

/**
 * The {@code fuse:} section. There is no FUSE mount here: {@code dir} is the served directory, a plain
 * directory where applications open the databases (REPLICATION.md 5.1).
 *
 * @param dir absolute, normalized; default {@code /litefs}
 * @param allowOther accepted and ignored (FUSE only)
 * @param debug accepted and ignored (FUSE only)
 */
public record FuseConfig(Path dir, boolean allowOther, boolean debug) {}
