package io.snkv.node.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads node.yml's text into {@link YamlNode}s with Jackson's YAML parser, token by token rather than
 * through a databind tree, because a tree would hide what strict parsing must see: a duplicate key
 * (refused, with its full dotted name, as yaml.v3 refuses it), an alias (Jackson's tree would silently
 * give the anchor's name as a string) and the exact text of each scalar (Jackson would evaluate
 * {@code .inf} or {@code 0x1F} as numbers).
 *
 * <p>One document: an empty file or {@code ---} alone is an empty mapping; a second document with
 * content is refused (LiteFS would silently read only the first).
 */
final class YamlDocument {
    /** An empty plain value ({@code dir:}) is null, as in yaml.v3; a quoted {@code ''} stays "". */
    private static final YAMLFactory FACTORY =
            YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

    private YamlDocument() {}

    /** The top-level mapping of {@code text}. */
    static YamlNode.Mapping parse(String text) {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            YamlNode.Mapping root;
            if (first == null || isEmptyDocument(parser, first)) {
                root = YamlNode.Mapping.empty();
            } else if (first == JsonToken.START_OBJECT) {
                root = readMapping(parser, "");
            } else {
                YamlNode top = readValue(parser, first, "");
                throw new NodeConfigException("node.yml's top level is " + top.describe()
                        + ", not a mapping of keys such as fuse:, data:, http:, lease:");
            }
            JsonToken next = parser.nextToken();
            if (next != null && !isEmptyDocument(parser, next)) {
                throw new NodeConfigException("node.yml holds a second YAML document (from line "
                        + parser.currentTokenLocation().getLineNr() + "); only one is read");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new NodeConfigException(syntaxError(e), e);
        } catch (IOException e) {
            // Reading from a String: only the parser's own failures reach here.
            throw new NodeConfigException("YAML: " + oneLine(e.getMessage()), e);
        }
    }

    private static boolean isEmptyDocument(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL
                || (token == JsonToken.VALUE_STRING && parser.getText().isEmpty());
    }

    private static YamlNode.Mapping readMapping(YAMLParser parser, String path) throws IOException {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String name = parser.currentName();
            String key = path.isEmpty() ? name : path + "." + name;
            if (entries.containsKey(name)) {
                throw NodeConfigException.duplicateKey(key);
            }
            entries.put(name, readValue(parser, parser.nextToken(), key));
        }
        return new YamlNode.Mapping(entries);
    }

    private static YamlNode readValue(YAMLParser parser, JsonToken token, String key) throws IOException {
        if (parser.isCurrentAlias()) {
            throw new NodeConfigException(key.isEmpty() ? "(top level)" : key,
                    "YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
        }
        switch (token) {
            case START_OBJECT:
                return readMapping(parser, key);
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(readValue(parser, t, key + "[" + items.size() + "]"));
                }
                return new YamlNode.Sequence(items);
            }
            case VALUE_NULL:
                return new YamlNode.Scalar(YamlNode.Scalar.Kind.NULL, parser.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode.Scalar(YamlNode.Scalar.Kind.BOOLEAN, parser.getText());
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(YamlNode.Scalar.Kind.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(YamlNode.Scalar.Kind.FLOAT, parser.getText());
            default:
                // strings, and tagged scalars such as !!binary, whose text is kept as written
                return new YamlNode.Scalar(YamlNode.Scalar.Kind.STRING, parser.getText());
        }
    }

    /** SnakeYAML's messages span several lines with a caret diagram; ours is one line. */
    private static String syntaxError(JsonProcessingException e) {
        if (e instanceof MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark();
            StringBuilder b = new StringBuilder("YAML syntax error");
            if (mark != null) {
                b.append(" at line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
            }
            b.append(": ").append(oneLine(marked.getProblem()));
            if (marked.getContext() != null) {
                b.append(" (").append(oneLine(marked.getContext())).append(')');
            }
            return b.toString();
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "YAML syntax error" + where + ": " + oneLine(e.getOriginalMessage());
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
