package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodecBenchOptionsTest {
    @Test
    void defaultsAreA100MiBFileOf4KiBPages() {
        assertThat(CodecBenchOptions.parse(new String[0]))
                .isEqualTo(new CodecBenchOptions(25_600, 4096, 3, 7, 256, 1));
    }

    @Test
    void everyOptionIsRead() {
        assertThat(CodecBenchOptions.parse(new String[] {"--pages", "10", "--page-size", "512", "--warmup", "0",
                "--iterations", "2", "--memory-mib", "4", "--seed", "-9"}))
                .isEqualTo(new CodecBenchOptions(10, 512, 0, 2, 4, -9));
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--page-size", "1000"}))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--page-size", "131072"}))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--iterations", "0"}))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--pages", "x"}))
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--pages"}))
                .hasMessageContaining("missing value");
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--pages", "300000"}))
                .hasMessageContaining("1 GiB");
        assertThatThrownBy(() -> CodecBenchOptions.parse(new String[] {"--threads", "2"}))
                .hasMessageContaining("unknown option");
    }
}
