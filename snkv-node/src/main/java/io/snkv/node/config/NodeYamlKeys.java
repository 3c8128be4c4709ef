package io.snkv.node.config;

import java.util.Map;
import java.util.Set;

/**
 * Every key node.yml may hold, as one tree, checked before any value is read so that an unknown key is
 * reported first and in document order, wherever it is (litefs: yaml.v3 {@code KnownFields(true)}).
 * The keys are LiteFS's (cmd/litefs/config.go at a51e72d) plus ours from LEASES.md:
 * {@code lease.etcd.*} and {@code lease.safety-margin}.
 */
final class NodeYamlKeys {
    /** A leaf: any value; its type is checked when it is read. */
    private static final Object VALUE = new Object();
    /** {@code exec}: a string, or a list whose mapping items hold {@link #EXEC_ITEM_KEYS}. */
    private static final Object EXEC = new Object();
    private static final Set<String> EXEC_ITEM_KEYS = Set.of("cmd", "if-candidate");

    private static final Map<String, Object> TREE = Map.ofEntries(
            Map.entry("exit-on-error", VALUE),
            Map.entry("skip-sync", VALUE),
            Map.entry("strict-verify", VALUE),
            Map.entry("exec", EXEC),
            Map.entry("fuse", leaves("dir", "allow-other", "debug")),
            Map.entry("data", leaves("dir", "compress", "retention", "retention-monitor-interval")),
            Map.entry("http", leaves("addr", "snapshot-timeout")),
            Map.entry("lease", Map.ofEntries(
                    Map.entry("type", VALUE),
                    Map.entry("hostname", VALUE),
                    Map.entry("advertise-url", VALUE),
                    Map.entry("candidate", VALUE),
                    Map.entry("promote", VALUE),
                    Map.entry("reconnect-delay", VALUE),
                    Map.entry("demote-delay", VALUE),
                    Map.entry("databases", VALUE),
                    Map.entry("safety-margin", VALUE),
                    Map.entry("consul", leaves("url", "key", "ttl", "lock-delay")),
                    Map.entry("etcd", leaves("endpoints", "key", "ttl", "dial-timeout", "request-timeout",
                            "username", "password")))),
            Map.entry("log", leaves("format", "timestamp", "debug")),
            Map.entry("tracing", leaves("enabled", "path", "max-size", "max-count", "compress")),
            Map.entry("proxy", leaves("addr", "target", "db", "max-lag", "debug", "passthrough",
                    "always-forward", "primary-redirect-timeout", "read-timeout", "read-header-timeout",
                    "write-timeout", "idle-timeout")),
            Map.entry("backup", leaves("type", "path", "url", "cluster", "auth-token")));

    private NodeYamlKeys() {}

    /** Throws {@code unknown key "<dotted key>"} for the first key, in document order, node.yml lacks. */
    static void check(YamlNode.Mapping root) {
        check(root, TREE, "");
    }

    private static void check(YamlNode.Mapping mapping, Map<String, Object> known, String path) {
        for (Map.Entry<String, YamlNode> e : mapping.entries().entrySet()) {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            Object expected = known.get(e.getKey());
            if (expected == null) {
                throw NodeConfigException.unknownKey(key);
            }
            if (expected instanceof Map<?, ?> section && e.getValue() instanceof YamlNode.Mapping m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> keys = (Map<String, Object>) section;
                check(m, keys, key);
            } else if (expected == EXEC && e.getValue() instanceof YamlNode.Sequence list) {
                for (int i = 0; i < list.items().size(); i++) {
                    if (list.items().get(i) instanceof YamlNode.Mapping item) {
                        for (String k : item.entries().keySet()) {
                            if (!EXEC_ITEM_KEYS.contains(k)) {
                                throw NodeConfigException.unknownKey(key + "[" + i + "]." + k);
                            }
                        }
                    }
                }
            }
            // A value of the wrong shape is reported when it is read, with what was expected.
        }
    }

    private static Map<String, Object> leaves(String... names) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (String n : names) {
            m.put(n, VALUE);
        }
        return Map.copyOf(m);
    }
}
