package io.snkv.node.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads from one mapping of node.yml ({@code lease}, {@code lease.consul}, the top level), each
 * error naming the full dotted key. A key that is absent or null ({@code dir:} with nothing after it)
 * reads as unset, so its default applies, as yaml.v3 leaves a Go field alone for a null.
 *
 * <p>Type rules follow yaml.v3 decoding into LiteFS's Go structs: a string takes any scalar as its
 * text; a boolean takes true/false and YAML 1.1's yes/no/on/off/y/n forms; a duration takes Go's
 * syntax; an integer takes decimal digits.
 */
final class YamlSection {
    private static final Set<String> TRUE_WORDS =
            Set.of("true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON");
    private static final Set<String> FALSE_WORDS =
            Set.of("false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF");

    private final String path;
    private final YamlNode.Mapping mapping;

    YamlSection(String path, YamlNode.Mapping mapping) {
        this.path = path;
        this.mapping = mapping;
    }

    /** The full dotted name of {@code name} in this section. */
    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The nested mapping {@code name}; an empty section if absent or null. */
    YamlSection section(String name) {
        return node(name)
                .map(n -> {
                    if (n instanceof YamlNode.Mapping m) {
                        return new YamlSection(key(name), m);
                    }
                    throw notA(key(name), n, "a mapping");
                })
                .orElseGet(() -> new YamlSection(key(name), YamlNode.Mapping.empty()));
    }

    /** Whether {@code name} is present with a non-null value. */
    boolean isSet(String name) {
        return node(name).isPresent();
    }

    /** The keys of this section that are set, in document order. */
    List<String> setKeys() {
        List<String> keys = new ArrayList<>();
        mapping.entries().forEach((k, v) -> {
            if (!(v instanceof YamlNode.Scalar s && s.isNull())) {
                keys.add(k);
            }
        });
        return keys;
    }

    Optional<YamlNode> node(String name) {
        YamlNode n = mapping.entries().get(name);
        if (n == null || (n instanceof YamlNode.Scalar s && s.isNull())) {
            return Optional.empty();
        }
        return Optional.of(n);
    }

    Optional<String> string(String name) {
        return node(name).map(n -> text(key(name), n));
    }

    Optional<Boolean> bool(String name) {
        return node(name).map(n -> bool(key(name), n));
    }

    Optional<Duration> duration(String name) {
        return node(name).map(n -> {
            String text = scalarText(key(name), n, "a duration");
            try {
                return GoDuration.parse(text);
            } catch (IllegalArgumentException e) {
                throw new NodeConfigException(key(name), NodeConfigException.quote(text)
                        + " is not a duration (use Go syntax such as 10m or 1m30s)");
            }
        });
    }

    Optional<Integer> integer(String name) {
        return node(name).map(n -> {
            String text = scalarText(key(name), n, "an integer");
            if (!text.matches("[-+]?[0-9]{1,9}")) {
                throw new NodeConfigException(key(name), NodeConfigException.quote(text) + " is not an integer");
            }
            return Integer.parseInt(text);
        });
    }

    /** A list of strings; a null item reads as "". */
    Optional<List<String>> stringList(String name) {
        return node(name).map(n -> {
            if (!(n instanceof YamlNode.Sequence seq)) {
                throw notA(key(name), n, "a list");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                YamlNode item = seq.items().get(i);
                out.add(item instanceof YamlNode.Scalar s && s.isNull() ? "" : text(key(name) + "[" + i + "]", item));
            }
            return List.copyOf(out);
        });
    }

    static String text(String key, YamlNode n) {
        return scalarText(key, n, "a string");
    }

    static boolean bool(String key, YamlNode n) {
        String text = scalarText(key, n, "a boolean");
        if (TRUE_WORDS.contains(text)) {
            return true;
        }
        if (FALSE_WORDS.contains(text)) {
            return false;
        }
        throw new NodeConfigException(key, NodeConfigException.quote(text) + " is not a boolean (use true or false)");
    }

    private static String scalarText(String key, YamlNode n, String wanted) {
        if (n instanceof YamlNode.Scalar s) {
            return s.text();
        }
        throw notA(key, n, wanted);
    }

    /** {@code fuse.dir: expected a string, found a mapping} or {@code lease: "x" is not a mapping}. */
    static NodeConfigException notA(String key, YamlNode found, String wanted) {
        if (found instanceof YamlNode.Scalar) {
            return new NodeConfigException(key, found.describe() + " is not " + wanted);
        }
        return new NodeConfigException(key, "expected " + wanted + ", found " + found.describe());
    }
}
