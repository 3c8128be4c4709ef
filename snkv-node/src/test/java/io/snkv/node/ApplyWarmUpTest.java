package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyWarmUpTest {
    @TempDir
    Path tmp;

    @Test
    void appliesEveryRoundAndLeavesNothingBehind() throws Exception {
        assertThat(ApplyWarmUp.run(tmp, 12, 60_000)).isEqualTo(12);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void stopsAtItsTimeBudget() {
        assertThat(ApplyWarmUp.run(tmp, Integer.MAX_VALUE, 0)).isZero();
    }

    @Test
    void aDirectoryItCannotUseCostsOnlyTheWarmUp() {
        assertThat(ApplyWarmUp.run(tmp.resolve("missing"), 5, 60_000)).isZero();
    }

    @Test
    void aNodeKilledDuringItsWarmUpStartsAgainAndClearsWhatItLeft() throws Exception {
        Path left = Files.createDirectories(tmp.resolve("data/tmp/warm-up-123/source-log/dbs"));
        Files.writeString(left.resolve("x"), "left by a SIGKILL");
        try (Node n = Node.start(new NodeSettings(tmp.resolve("mnt"), tmp.resolve("data"), "127.0.0.1", 0, "h", null, true,
                null, null, java.time.Duration.ofMinutes(10), java.time.Duration.ofMillis(100), java.util.List.of()))) {
            assertThat(n.isReady()).isTrue();
            assertThat(tmp.resolve("data/tmp/warm-up-123")).doesNotExist();
        }
    }
}
