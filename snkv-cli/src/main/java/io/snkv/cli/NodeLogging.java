package io.snkv.cli;

import io.snkv.node.config.LogConfig;

/**
 * Applies a node's {@code log.*} settings to slf4j-simple, the command line's logging backend: {@code debug}
 * lowers the level, {@code timestamp} prefixes each line with the time. slf4j-simple reads these properties
 * once, when the first logger is made, so this runs before the node starts; a property already given on the
 * JVM's command line wins.
 */
final class NodeLogging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private NodeLogging() {
    }

    static void configure(LogConfig log) {
        if (log.debug()) {
            setIfAbsent("log.io.snkv", "debug");
        }
        if (log.timestamp()) {
            setIfAbsent("showDateTime", "true");
            setIfAbsent("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
