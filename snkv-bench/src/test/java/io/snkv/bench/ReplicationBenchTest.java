package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of every scenario, for its output's shape and the replicas' data only: the figures are parsed, never
 * compared with any speed.
 */
@Tag("slow")
class ReplicationBenchTest {
    @TempDir
    Path dir;

    @Test
    void everyScenarioPrintsItsFiguresAndTheReplicasEndEqualToThePrimary() throws Exception {
        ReplicationBenchOptions options = ReplicationBenchOptions.parse(new String[] {"--rounds", "1", "--chunks", "2",
                "--chunk-size", "65536", "--rate-seconds", "0.3", "--max-commits", "100", "--lag-warmup", "20",
                "--txns", "3", "--txn-bytes", "65536", "--throughput-warmup", "1", "--copies", "1", "--commits", "200",
                "--commit-warmup", "20", "--dir", dir.toString()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ReplicationBench(options, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run();
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(errors).isZero();

        List<Map<String, String>> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(pairs(line));
        }

        Map<String, String> demo = only(lines, "scenario", "demo");
        assertThat(demo).containsEntry("rounds", "1").containsEntry("chunks", "2").containsEntry("bytes", "131072");
        decimals(demo, "lag_ms_median", "lag_ms_min", "lag_ms_max");

        for (String rate : new String[] {"100", "1000", "max"}) {
            Map<String, String> lag = only(lines, "scenario", "lag", "rate", rate);
            assertThat(lag).containsEntry("commits", rate.equals("100") ? "30" : rate.equals("1000") ? "300" : "100");
            decimals(lag, "seconds", "p50_ms", "p99_ms", "max_ms");
            integers(lag, "commits_per_sec", "late", "replica_applies_per_sec");
        }

        Map<String, String> copy = only(lines, "scenario", "loopback_copy");
        assertThat(copy).containsEntry("bytes", "196608").containsEntry("buffer_bytes", "1048576");
        decimals(copy, "seconds", "mb_per_sec");
        Map<String, String> throughput = only(lines, "scenario", "throughput");
        assertThat(throughput).containsEntry("txns", "3").containsEntry("bytes", "196608");
        decimals(throughput, "seconds", "mb_per_sec", "primary_mb_per_sec", "loopback_mb_per_sec", "ratio_to_loopback");

        decimals(only(lines, "scenario", "commits", "setup", "capture_off"), "seconds", "ratio_vs_capture_off");
        for (String replicas : new String[] {"0", "1", "2"}) {
            Map<String, String> commits = only(lines, "scenario", "commits", "setup", "primary", "replicas", replicas);
            assertThat(commits).containsEntry("commits", "200");
            integers(commits, "ops_per_sec");
            decimals(commits, "seconds", "ratio_vs_capture_off");
        }

        // The replicas' data: each scenario compared every database entry by entry, after reaching its position.
        assertThat(only(lines, "check", "demo")).containsEntry("equal", "yes").containsEntry("databases", "2")
                .containsEntry("entries", "4").containsEntry("bytes", String.valueOf(4 * (7 + 65536)));
        assertThat(only(lines, "check", "lag")).containsEntry("equal", "yes").containsEntry("entries", "450");
        assertThat(only(lines, "check", "throughput")).containsEntry("equal", "yes").containsEntry("entries", "4");
        assertThat(only(lines, "check", "commits_replicas_1")).containsEntry("equal", "yes").containsEntry("replicas", "1")
                .containsEntry("entries", "220");
        assertThat(only(lines, "check", "commits_replicas_2")).containsEntry("equal", "yes").containsEntry("replicas", "2")
                .containsEntry("entries", "220");

        decimals(only(lines, "summary", "demo_lag"), "median_ms", "max_ms");
        assertThat(only(lines, "summary", "demo_lag").get("met")).isIn("yes", "no");
        decimals(only(lines, "summary", "lag_p99", "rate", "1000"), "p99_ms");
        decimals(only(lines, "summary", "throughput"), "ratio_to_loopback");
        decimals(only(lines, "summary", "commits_vs_capture_off"), "replicas_0", "replicas_1", "replicas_2");
        assertThat(only(lines, "summary", "self_check")).containsEntry("passed", "yes").containsEntry("problems", "0");

        assertThat(errors).contains("settings scenarios=demo,lag,throughput,commits", "demo round=warmup",
                "demo round=1").doesNotContain("SELF-CHECK FAILED");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("every temporary directory is deleted").isEmpty();
        }
    }

    /** {@code k=v k=v ...}; every token must be a pair. */
    private static Map<String, String> pairs(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String token : line.split(" ")) {
            assertThat(token).as("a key=value pair in: " + line).matches("[a-z][a-z0-9_]*=\\S+");
            int eq = token.indexOf('=');
            assertThat(m.put(token.substring(0, eq), token.substring(eq + 1))).as("repeated key in " + line).isNull();
        }
        return m;
    }

    /** The one line holding every given pair. */
    private static Map<String, String> only(List<Map<String, String>> lines, String... keyValues) {
        List<Map<String, String>> found = lines.stream().filter(m -> {
            for (int i = 0; i < keyValues.length; i += 2) {
                if (!keyValues[i + 1].equals(m.get(keyValues[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertThat(found).as("lines with " + String.join(" ", keyValues) + " in " + lines).hasSize(1);
        return found.get(0);
    }

    private static void decimals(Map<String, String> line, String... keys) {
        for (String key : keys) {
            assertThat(line.get(key)).as(key + " in " + line).matches("-?\\d+\\.\\d+");
        }
    }

    private static void integers(Map<String, String> line, String... keys) {
        for (String key : keys) {
            assertThat(line.get(key)).as(key + " in " + line).matches("\\d+");
        }
    }
}
