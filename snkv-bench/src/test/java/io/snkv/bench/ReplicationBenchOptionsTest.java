package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationBenchOptionsTest {
    @Test
    void defaultsAreTheIssuesFigures() {
        ReplicationBenchOptions o = ReplicationBenchOptions.parse(new String[0]);
        assertThat(o.scenarios()).containsExactly("demo", "lag", "throughput", "commits");
        assertThat(o.rounds()).isEqualTo(5);
        assertThat((long) o.chunks() * o.chunkSize()).isEqualTo(10L << 20);
        assertThat(o.rates()).extracting(CommitRate::label).containsExactly("100", "1000", "max");
        assertThat(o.commitsAt(new CommitRate(1000))).isEqualTo(5000);
        assertThat(o.commitsAt(CommitRate.MAX)).isEqualTo(o.maxCommits());
        assertThat(o.txns()).isEqualTo(64);
        assertThat(o.txnBytes()).isEqualTo(1 << 20);
        assertThat(o.commits()).isEqualTo(20_000);
    }

    @Test
    void scenariosRunInTheirFixedOrderAndRatesAsGiven() {
        ReplicationBenchOptions o = ReplicationBenchOptions.parse(new String[] {"--scenarios", "commits,demo",
                "--rates", "max,50", "--rate-seconds", "0.5", "--dir", "/tmp/x"});
        assertThat(o.scenarios()).isEqualTo(List.of("demo", "commits"));
        assertThat(o.rates()).containsExactly(CommitRate.MAX, new CommitRate(50));
        assertThat(o.commitsAt(new CommitRate(50))).isEqualTo(25);
        assertThat(o.dir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--scenarios", "demo,fast"}))
                .hasMessageContaining("unknown scenario fast");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--rates", "0"}))
                .hasMessageContaining("positive integer or max");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--chunk-size", "20000000"}))
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--rate-seconds", "-1"}))
                .hasMessageContaining("seconds");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--rounds", "0"}))
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--rounds"}))
                .hasMessageContaining("missing value");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--threads", "2"}))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> ReplicationBenchOptions.parse(new String[] {"--help"})).hasMessage("");
    }
}
