package io.snkv.node.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LiteFS's environment expansion of a config file's raw text ({@code ExpandEnv} in LiteFS's
 * {@code cmd/litefs/config.go}): Go's {@code os.Expand}, whose mapping also understands comparisons.
 *
 * <ul>
 *   <li>{@code $NAME} (ASCII letters, digits, {@code _}) and {@code ${NAME}} become the variable's value,
 *       or nothing if it is unset.
 *   <li>{@code $$}, {@code $1}, {@code $*} ... (one of {@code *#$@!?-0123456789}) name a one-character
 *       variable, as do {@code ${$}} etc.; such variables are normally unset, so they vanish.
 *   <li>{@code $} before any other character, and a {@code $} ending the text, stay as they are.
 *   <li>{@code ${}} is dropped; an unclosed {@code ${} loses those two characters and the rest stays.
 *   <li>Inside braces, after trimming white space: {@code A == "x"}, {@code A != 'x'} (a variable
 *       against a quoted literal) and {@code A == B} (two variables) become {@code true} or
 *       {@code false}. Anything else is looked up as a variable name, so {@code ${ A }} is A.
 * </ul>
 *
 * <p>Values are inserted as they are and never expanded again. The regular expressions are Go's
 * (RE2) ones, written out with explicit classes so Java's wider {@code \s} and {@code .} do not
 * match more than Go's would.
 *
 * <p>Stateless; safe from any thread.
 */
public final class EnvExpansion {
    private static final String GO_SPACE = "[\\t\\n\\f\\r ]";
    private static final Pattern SINGLE_QUOTED =
            Pattern.compile("([0-9A-Za-z_]+)" + GO_SPACE + "*(==|!=)" + GO_SPACE + "*'([^\\n]*)'\\z");
    private static final Pattern DOUBLE_QUOTED =
            Pattern.compile("([0-9A-Za-z_]+)" + GO_SPACE + "*(==|!=)" + GO_SPACE + "*\"([^\\n]*)\"\\z");
    private static final Pattern TWO_VARIABLES =
            Pattern.compile("([0-9A-Za-z_]+)" + GO_SPACE + "*(==|!=)" + GO_SPACE + "*([0-9A-Za-z_]+)\\z");

    private EnvExpansion() {}

    /**
     * Expands {@code text} with variables from {@code environment}, which returns null (or "") for an
     * unset variable.
     */
    public static String expand(String text, Function<String, String> environment) {
        StringBuilder out = null;
        int copiedUpTo = 0;
        for (int j = 0; j < text.length(); j++) {
            if (text.charAt(j) != '$' || j + 1 >= text.length()) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() * 2);
            }
            out.append(text, copiedUpTo, j);
            String rest = text.substring(j + 1);
            int consumed;
            String name;
            // Go's getShellName: the name after '$' and how many characters it used.
            char first = rest.charAt(0);
            if (first == '{') {
                if (rest.length() > 2 && isShellSpecial(rest.charAt(1)) && rest.charAt(2) == '}') {
                    name = rest.substring(1, 2);
                    consumed = 3;
                } else {
                    int close = rest.indexOf('}', 1);
                    if (close == 1) {
                        name = "";
                        consumed = 2; // "${}": eaten
                    } else if (close < 0) {
                        name = "";
                        consumed = 1; // unclosed "${": both characters eaten
                    } else {
                        name = rest.substring(1, close);
                        consumed = close + 1;
                    }
                }
            } else if (isShellSpecial(first)) {
                name = rest.substring(0, 1);
                consumed = 1;
            } else {
                int i = 0;
                while (i < rest.length() && isAlphaNumeric(rest.charAt(i))) {
                    i++;
                }
                name = rest.substring(0, i);
                consumed = i;
            }
            if (name.isEmpty() && consumed > 0) {
                // bad syntax: the characters are dropped
            } else if (name.isEmpty()) {
                out.append('$'); // no name follows: the dollar stays
            } else {
                out.append(lookup(name, environment));
            }
            j += consumed;
            copiedUpTo = j + 1;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, Math.min(copiedUpTo, text.length()), text.length()).toString();
    }

    /** LiteFS's mapping: a comparison, else a variable. */
    private static String lookup(String expression, Function<String, String> environment) {
        String v = trimGoSpace(expression);
        Matcher m = SINGLE_QUOTED.matcher(v);
        if (m.matches()) {
            return compare(get(environment, m.group(1)), m.group(2), m.group(3));
        }
        m = DOUBLE_QUOTED.matcher(v);
        if (m.matches()) {
            return compare(get(environment, m.group(1)), m.group(2), m.group(3));
        }
        m = TWO_VARIABLES.matcher(v);
        if (m.matches()) {
            return compare(get(environment, m.group(1)), m.group(2), get(environment, m.group(3)));
        }
        return get(environment, v);
    }

    private static String compare(String left, String operator, String right) {
        boolean equal = left.equals(right);
        return Boolean.toString(operator.equals("==") == equal);
    }

    private static String get(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        return value == null ? "" : value;
    }

    private static boolean isShellSpecial(char c) {
        return "*#$@!?-0123456789".indexOf(c) >= 0;
    }

    private static boolean isAlphaNumeric(char c) {
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Go's strings.TrimSpace: Unicode white space, which includes U+0085 and U+00A0. */
    private static String trimGoSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        if (c <= 0xFF) {
            return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
        }
        return Character.isSpaceChar(c); // Zs, Zl, Zp: Unicode's White_Space above Latin-1
    }
}
