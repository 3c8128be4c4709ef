package io.snkv.node.config;

/**
 * The {@code tracing:} section: LiteFS's rolling trace log of FUSE calls. Accepted and ignored; kept so
 * a LiteFS config file loads unchanged.
 *
 * @param maxSize megabytes per file, default 64
 * @param maxCount files kept, default 8
 * @param compress default true
 */
public record TracingConfig(boolean enabled, String path, int maxSize, int maxCount, boolean compress) {}
