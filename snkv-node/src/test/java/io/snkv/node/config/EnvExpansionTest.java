package io.snkv.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expected outputs follow Go's os.Expand (getShellName) with LiteFS's ExpandEnv mapping, worked out by
 * hand from their source: each row is input, then output.
 */
class EnvExpansionTest {
    private static final Map<String, String> ENV = Map.of(
            "A", "x",
            "B", "x",
            "C", "y",
            "EMPTY", "",
            "HOSTNAME", "host1",
            "FLY_REGION", "ord",
            "PRIMARY_REGION", "ord",
            "DOLLAR", "$A");

    static Stream<Arguments> table() {
        return Stream.of(
                // no dollar, plain variables
                Arguments.of("", ""),
                Arguments.of("plain text", "plain text"),
                Arguments.of("$A", "x"),
                Arguments.of("${A}", "x"),
                Arguments.of("$A$B", "xx"),
                Arguments.of("$A.b", "x.b"),
                Arguments.of("$A-b", "x-b"),
                Arguments.of("${A}b", "xb"),
                Arguments.of("$Ab", ""),
                Arguments.of("$A_1", ""),
                Arguments.of("$UNSET", ""),
                Arguments.of("${EMPTY}", ""),
                Arguments.of("http://${HOSTNAME}:20202", "http://host1:20202"),
                Arguments.of("${ A }", "x"),
                Arguments.of("${\tA\n}", "x"),
                Arguments.of("${\u00a0A\u2003}", "x"),
                // values are not expanded again
                Arguments.of("$DOLLAR", "$A"),
                // a dollar not followed by a name stays
                Arguments.of("$", "$"),
                Arguments.of("a$", "a$"),
                Arguments.of("$ x", "$ x"),
                Arguments.of("$%", "$%"),
                Arguments.of("$.A", "$.A"),
                Arguments.of("$\u00e9", "$\u00e9"),
                Arguments.of("$}", "$}"),
                Arguments.of("cost: 5$", "cost: 5$"),
                // one-character shell variables, unset here
                Arguments.of("$$", ""),
                Arguments.of("$$A", "A"),
                Arguments.of("$$$", "$"),
                Arguments.of("$1abc", "abc"),
                Arguments.of("$-", ""),
                Arguments.of("$*x", "x"),
                Arguments.of("$#", ""),
                Arguments.of("${1}", ""),
                Arguments.of("${$}", ""),
                Arguments.of("${#}x", "x"),
                Arguments.of("${1abc}", ""),
                // bad brace syntax
                Arguments.of("${}", ""),
                Arguments.of("a${}b", "ab"),
                Arguments.of("${", ""),
                Arguments.of("a${b", "ab"),
                Arguments.of("${A", "A"),
                Arguments.of("x: ${A\ny: 1", "x: A\ny: 1"),
                Arguments.of("${A}}", "x}"),
                Arguments.of("${{A}}", "}"),
                // comparisons
                Arguments.of("${A == \"x\"}", "true"),
                Arguments.of("${A != \"x\"}", "false"),
                Arguments.of("${A == 'x'}", "true"),
                Arguments.of("${A != 'y'}", "true"),
                Arguments.of("${A == 'y'}", "false"),
                Arguments.of("${A==\"x\"}", "true"),
                Arguments.of("${ A == \"x\" }", "true"),
                Arguments.of("${A == B}", "true"),
                Arguments.of("${A == C}", "false"),
                Arguments.of("${A != C}", "true"),
                Arguments.of("${A!=B}", "false"),
                Arguments.of("${UNSET == \"\"}", "true"),
                Arguments.of("${UNSET == EMPTY}", "true"),
                Arguments.of("${UNSET != ''}", "false"),
                Arguments.of("${FLY_REGION == PRIMARY_REGION}", "true"),
                Arguments.of("${A == \"x\" == \"x\"}", "false"),
                // not comparisons: looked up as (unset) names
                Arguments.of("${A == \"x'}", ""),
                Arguments.of("${A === \"x\"}", ""),
                Arguments.of("${A == x y}", ""),
                Arguments.of("${A.B == C}", ""),
                Arguments.of("${A == \"}\"}", "\"}"),
                Arguments.of("${A == \"x\ny\"}", ""),
                // in a YAML document
                Arguments.of(
                        "lease:\n  candidate: ${FLY_REGION == PRIMARY_REGION}\n  hostname: \"$HOSTNAME\"\n",
                        "lease:\n  candidate: true\n  hostname: \"host1\"\n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("table")
    void expandsAsLitefsDoes(String input, String output) {
        assertThat(EnvExpansion.expand(input, ENV::get)).isEqualTo(output);
    }

    @Test
    void textWithoutDollarIsReturnedAsIs() {
        String s = "fuse:\n  dir: ./mnt1\n";
        assertThat(EnvExpansion.expand(s, ENV::get)).isSameAs(s);
    }
}
