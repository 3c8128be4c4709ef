package io.snkv.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases follow Go's own tables for time.ParseDuration and Duration.String (time_test.go). */
class GoDurationTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long M = 60 * S;
    private static final long H = 60 * M;

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("0", 0L),
                Arguments.of("5s", 5 * S),
                Arguments.of("30s", 30 * S),
                Arguments.of("1478s", 1478 * S),
                Arguments.of("-5s", -5 * S),
                Arguments.of("+5s", 5 * S),
                Arguments.of("-0", 0L),
                Arguments.of("+0", 0L),
                Arguments.of("5.0s", 5 * S),
                Arguments.of("5.6s", 5 * S + 600 * MS),
                Arguments.of("5.s", 5 * S),
                Arguments.of(".5s", 500 * MS),
                Arguments.of("1.0s", S),
                Arguments.of("1.00s", S),
                Arguments.of("1.004s", S + 4 * MS),
                Arguments.of("1.0040s", S + 4 * MS),
                Arguments.of("100.00100s", 100 * S + MS),
                Arguments.of("10ns", 10L),
                Arguments.of("11us", 11 * US),
                Arguments.of("12\u00b5s", 12 * US),
                Arguments.of("12\u03bcs", 12 * US),
                Arguments.of("13ms", 13 * MS),
                Arguments.of("14s", 14 * S),
                Arguments.of("15m", 15 * M),
                Arguments.of("16h", 16 * H),
                Arguments.of("3h30m", 3 * H + 30 * M),
                Arguments.of("10.5s4m", 4 * M + 10 * S + 500 * MS),
                Arguments.of("-2m3.4s", -(2 * M + 3 * S + 400 * MS)),
                Arguments.of("1h2m3s4ms5us6ns", H + 2 * M + 3 * S + 4 * MS + 5 * US + 6),
                Arguments.of("39h9m14.425s", 39 * H + 9 * M + 14 * S + 425 * MS),
                Arguments.of("1m30s", 90 * S),
                Arguments.of("500ms", 500 * MS),
                Arguments.of("-1.5h", -(H + 30 * M)),
                Arguments.of("52763797000ns", 52763797000L),
                // more than 9 digits after the point (Go issue 6617)
                Arguments.of("0.3333333333333333333h", 20 * M),
                // 1 << 53 + 1 has no exact float64
                Arguments.of("9007199254740993ns", (1L << 53) + 1),
                Arguments.of("9223372036854775807ns", Long.MAX_VALUE),
                Arguments.of("9223372036.854775807s", Long.MAX_VALUE),
                Arguments.of("-9223372036854775808ns", Long.MIN_VALUE),
                Arguments.of("-9223372036.854775808s", Long.MIN_VALUE),
                Arguments.of("0.100000000000000000000h", 6 * M),
                // the fraction's first overflow check
                Arguments.of("0.830103483285477580700h", 49 * M + 48 * S + 372539827L));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("valid")
    void parsesAsGoDoes(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "time: invalid duration \"\""),
                Arguments.of("3", "time: missing unit in duration \"3\""),
                Arguments.of("600", "time: missing unit in duration \"600\""),
                Arguments.of("-", "time: invalid duration \"-\""),
                Arguments.of("s", "time: invalid duration \"s\""),
                Arguments.of(".", "time: invalid duration \".\""),
                Arguments.of("-.", "time: invalid duration \"-.\""),
                Arguments.of(".s", "time: invalid duration \".s\""),
                Arguments.of("+.s", "time: invalid duration \"+.s\""),
                Arguments.of("1d", "time: unknown unit \"d\" in duration \"1d\""),
                Arguments.of("10 minutes", "time: unknown unit \" minutes\" in duration \"10 minutes\""),
                Arguments.of(" 1s", "time: invalid duration \" 1s\""),
                Arguments.of("1s ", "time: unknown unit \"s \" in duration \"1s \""),
                Arguments.of("1S", "time: unknown unit \"S\" in duration \"1S\""),
                Arguments.of("1sec", "time: unknown unit \"sec\" in duration \"1sec\""),
                Arguments.of("--1s", "time: invalid duration \"--1s\""),
                Arguments.of("1e3s", "time: unknown unit \"e\" in duration \"1e3s\""),
                Arguments.of("1\u00e9s", "time: unknown unit \"\\xc3\\xa9s\" in duration \"1\\xc3\\xa9s\""),
                Arguments.of("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""),
                Arguments.of("9223372036854775.808us", "time: invalid duration \"9223372036854775.808us\""),
                Arguments.of("9223372036854ms775us808ns",
                        "time: invalid duration \"9223372036854ms775us808ns\""),
                Arguments.of("-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""),
                Arguments.of("3000000h", "time: invalid duration \"3000000h\""),
                Arguments.of("99999999999999999999s", "time: invalid duration \"99999999999999999999s\""));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalid")
    void refusesAsGoDoes(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> formatted() {
        return Stream.of(
                Arguments.of("0s", 0L),
                Arguments.of("1ns", 1L),
                Arguments.of("1.1\u00b5s", 1100L),
                Arguments.of("2.2ms", 2200 * US),
                Arguments.of("3.3s", 3300 * MS),
                Arguments.of("4m5s", 4 * M + 5 * S),
                Arguments.of("4m5.001s", 4 * M + 5001 * MS),
                Arguments.of("5h6m7.001s", 5 * H + 6 * M + 7001 * MS),
                Arguments.of("8m0.000000001s", 8 * M + 1),
                Arguments.of("2562047h47m16.854775807s", Long.MAX_VALUE),
                Arguments.of("-2562047h47m16.854775808s", Long.MIN_VALUE),
                Arguments.of("10m0s", 10 * M),
                Arguments.of("1m0s", M),
                Arguments.of("1h0m0s", H),
                Arguments.of("24h0m0s", 24 * H),
                Arguments.of("10s", 10 * S),
                Arguments.of("500ms", 500 * MS),
                Arguments.of("-1m30s", -90 * S),
                Arguments.of("-1ns", -1L),
                Arguments.of("999ns", 999L),
                Arguments.of("1\u00b5s", US),
                Arguments.of("999.999999ms", S - 1));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("formatted")
    void formatsAsGoDoes(String text, long nanos) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatRefusesDurationsOutsideGoRange() {
        assertThatThrownBy(() -> GoDuration.format(Duration.ofDays(300 * 365)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside Go's range");
    }

    @Test
    void formatThenParseIsIdentity() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> r.nextLong();
                case 1 -> r.nextInt();
                case 2 -> (long) r.nextInt(100_000) * MS;
                default -> (long) (r.nextInt(1000) - 500) * S;
            };
            Duration d = Duration.ofNanos(nanos);
            assertThat(GoDuration.parse(GoDuration.format(d))).as("seed %d nanos %d", seed, nanos).isEqualTo(d);
        }
    }
}
