package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CaptureFiguresTest {
    @Test
    void aCaptureLineReadsBackAndIsNoPhaseLine() {
        CaptureFigures f = new CaptureFigures("snkv-capture", 3, "mixed", 4, 4, 1001);
        String line = "impl=snkv-capture pass=3 " + f.line();
        assertThat(line).endsWith("capture workload=mixed commits=4 ltx_files=4 ltx_bytes=1001"
                + " ltx_bytes_per_commit=250");
        assertThat(CaptureFigures.parse(line)).contains(f);
        assertThat(PhaseResult.parse(line)).isEmpty();
    }

    @Test
    void aPhaseLineIsNoCaptureLine() {
        String line = "impl=snkv pass=1 workload=mixed ops=20000 seconds=0.100 ops_per_sec=200000";
        assertThat(CaptureFigures.parse(line)).isEmpty();
        assertThat(PhaseResult.parse(line)).isPresent();
        assertThat(CaptureFigures.parse("impl=snkv peak_rss_kb=1")).isEmpty();
    }

    @Test
    void totalsAddUp() {
        CaptureFigures a = new CaptureFigures("x", 1, "sequential_writes", 1000, 1000, 5_000_000);
        CaptureFigures b = new CaptureFigures("x", 1, "bulk_insert", 1, 1, 7);
        assertThat(a.plus(b)).isEqualTo(new CaptureFigures("x", 1, "all", 1001, 1001, 5_000_007));
        assertThat(new CaptureFigures("x", 1, "all", 0, 0, 0).bytesPerCommit()).isZero();
    }
}
