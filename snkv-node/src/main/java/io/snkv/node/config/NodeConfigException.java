package io.snkv.node.config;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import java.util.Optional;

/**
 * node.yml could not be used. The message is one line that names the dotted key, the value and what is
 * wrong, for example {@code lease.type: "foo" is not one of static, consul, etcd} or
 * {@code unknown key "lease.candiate"}, so the command line can print it as it is. Code
 * {@link ErrorCode#MISUSE}: the input, not the store, is at fault.
 */
public class NodeConfigException extends KVException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 200;

    private final String key;

    /** A problem with one key: the message is {@code "<key>: <problem>"}. */
    public NodeConfigException(String key, String problem) {
        this(key, key + ": " + problem, null);
    }

    /** A problem that is not about one key (a YAML syntax error, an unreadable file). */
    public NodeConfigException(String message) {
        this(null, message, null);
    }

    public NodeConfigException(String message, Throwable cause) {
        this(null, message, cause);
    }

    private NodeConfigException(String key, String message, Throwable cause) {
        super(ErrorCode.MISUSE, message, cause);
        this.key = key;
    }

    /** {@code unknown key "lease.candiate"}: a key node.yml does not have, anywhere in the file. */
    static NodeConfigException unknownKey(String key) {
        return new NodeConfigException(key, "unknown key " + quote(key), null);
    }

    /** {@code duplicate key "lease.type"}: YAML allows a key once per mapping. */
    static NodeConfigException duplicateKey(String key) {
        return new NodeConfigException(key, "duplicate key " + quote(key), null);
    }

    /** The dotted key the problem is about ({@code lease.consul.ttl}, {@code exec[0].cmd}), if any. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /**
     * A value as messages show it: in double quotes, with quotes, backslashes and control characters
     * escaped as Go's %q does, so a message stays on one line whatever the value holds.
     */
    public static String quote(String value) {
        String s = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) : value;
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        return s.length() < value.length() ? b.append("...").toString() : b.toString();
    }
}
