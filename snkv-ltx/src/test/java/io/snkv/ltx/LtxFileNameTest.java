package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LtxFileNameTest {
    @Test
    void formatAndParse() {
        assertThat(LtxFileName.format(1, 0x2aL)).isEqualTo("0000000000000001-000000000000002a.ltx");
        assertThat(LtxFileName.parse("0000000000000001-000000000000002a.ltx"))
                .isEqualTo(new LtxFileName.TxidRange(1, 42));
        assertThat(LtxFileName.parse(LtxFileName.format(-1L, -2L))).isEqualTo(new LtxFileName.TxidRange(-1L, -2L));
    }

    @Test
    void rejectsOtherNames() {
        for (String bad : new String[] {"1-2.ltx", "0000000000000001-000000000000002a.ltx.tmp",
                "0000000000000001_000000000000002a.ltx", "000000000000000g-000000000000002a.ltx", ""}) {
            assertThatThrownBy(() -> LtxFileName.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hexMatchesStringFormat() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 1000; i++) {
            long v = i < 3 ? new long[] {0, -1, Long.MIN_VALUE}[i] : r.nextLong() >>> r.nextInt(64);
            assertThat(LtxFileName.hex16(v)).isEqualTo(String.format("%016x", v));
            assertThat(LtxFileName.format(v, ~v)).isEqualTo(String.format("%016x-%016x.ltx", v, ~v));
        }
    }
}
