package io.snkv.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LtxFormatExceptionTest {
    @Test
    void namingTheInputKeepsOffsetRuleAndCause() {
        LtxFormatException e = new LtxFormatException(106, "compressed size 0 is outside 1..4113");
        assertThat(e).hasMessage("invalid LTX at byte offset 106: compressed size 0 is outside 1..4113");
        LtxFormatException named = e.in("input 2 (0000000000000003-0000000000000004.ltx)");
        assertThat(named).hasMessage("invalid LTX in input 2 (0000000000000003-0000000000000004.ltx)"
                + " at byte offset 106: compressed size 0 is outside 1..4113").hasCause(e);
        assertThat(named.offset()).isEqualTo(106);
        assertThat(named.rule()).isEqualTo(e.rule()).isEqualTo("compressed size 0 is outside 1..4113");
    }
}
