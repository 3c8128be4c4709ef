package io.snkv.node.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of a parsed node.yml: a mapping, a list or a scalar. Scalars keep their text exactly as
 * written (so {@code 0x1F} or {@code 010} are not reinterpreted) and the kind YAML gave them, so a
 * string field takes any scalar as text, as Go's yaml.v3 does, while booleans and integers are checked.
 */
sealed interface YamlNode {
    /** What a message calls this value when its type is wrong: "a mapping", "a list" or the quoted text. */
    String describe();

    /** Keys in document order; keys are unique (the reader refuses duplicates). */
    record Mapping(Map<String, YamlNode> entries) implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        static Mapping empty() {
            return new Mapping(Map.of());
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    record Scalar(Kind kind, String text) implements YamlNode {
        enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        boolean isNull() {
            return kind == Kind.NULL;
        }

        @Override
        public String describe() {
            return NodeConfigException.quote(text);
        }
    }
}
