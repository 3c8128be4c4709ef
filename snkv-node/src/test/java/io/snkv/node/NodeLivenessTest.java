package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {
    @Test
    void thisProcessIsAliveWithoutAsking() {
        assertThat(NodeLiveness.isAlive(ProcessHandle.current().pid(), 0)).isTrue();
    }

    @Test
    void anotherProcessIsAskedAboutAtMostEveryHundredMilliseconds() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long now = System.currentTimeMillis();
            assertThat(NodeLiveness.isAlive(p.pid(), now)).isTrue();
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(NodeLiveness.isAlive(p.pid(), now + 50)).as("the answer of 50 ms ago").isTrue();
            assertThat(NodeLiveness.isAlive(p.pid(), now + NodeLiveness.REUSE_MS + 1)).isFalse();
        } finally {
            p.destroyForcibly();
        }
    }
}
