package io.snkv.node.config;

/** The {@code log:} section: format (text; json later), timestamps on each line, debug level. */
public record LogConfig(LogFormat format, boolean timestamp, boolean debug) {}
