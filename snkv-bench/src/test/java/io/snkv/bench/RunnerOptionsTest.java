package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunnerOptionsTest {
    @Test
    void bothStillMeansThisStoreAndSqlite() {
        assertThat(RunnerOptions.parse(new String[0]).impls()).containsExactly("snkv", "sqlite");
        assertThat(RunnerOptions.parse(new String[] {"--impl", "both"}).impls()).containsExactly("snkv", "sqlite");
    }

    @Test
    void captureIsAnImplementationOfItsOwn() {
        assertThat(RunnerOptions.parse(new String[] {"--impl", "snkv,snkv-capture"}).impls())
                .containsExactly("snkv", "snkv-capture");
        assertThat(RunnerOptions.parse(new String[] {"--impl", "both,snkv-capture,snkv"}).impls())
                .containsExactly("snkv", "sqlite", "snkv-capture");
        assertThat(RunnerOptions.parse(new String[] {"--child", "snkv-capture"}).childImpl()).isEqualTo("snkv-capture");
    }

    @Test
    void refusesUnknownImplementations() {
        assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--impl", "snkv,capture"}))
                .hasMessageContaining("unknown impl capture");
        assertThatThrownBy(() -> RunnerOptions.parse(new String[] {"--child", "c"}))
                .hasMessageContaining("--child takes one of");
    }
}
