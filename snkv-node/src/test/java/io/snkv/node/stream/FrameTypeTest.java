package io.snkv.node.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameTypeTest {
    @Test
    void codesAndMaximaAreTheSpecs() {
        assertThat(FrameType.values()).extracting(FrameType::code)
                .containsExactly(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09);
        assertThat(FrameType.LTX.maxPayloadLength()).isEqualTo(1L << 40);
        assertThat(FrameType.SNAPSHOT.maxPayloadLength()).isEqualTo(1L << 40);
        assertThat(FrameType.READY.maxPayloadLength()).isZero();
        assertThat(FrameType.END.maxPayloadLength()).isZero();
        assertThat(FrameType.DROP_DB.maxPayloadLength()).isEqualTo(257);
        assertThat(FrameType.HANDOFF.maxPayloadLength()).isEqualTo(1026);
        assertThat(FrameType.HWM.maxPayloadLength()).isEqualTo(265);
        assertThat(FrameType.HEARTBEAT.maxPayloadLength()).isEqualTo(16L * 1024 * 1024);
        assertThat(FrameType.ERROR.maxPayloadLength()).isEqualTo(4096);
    }

    @Test
    void labelsAreLowerCaseNames() {
        assertThat(FrameType.DROP_DB.label()).isEqualTo("drop_db");
        assertThat(FrameType.LTX.label()).isEqualTo("ltx");
        for (FrameType t : FrameType.values()) {
            assertThat(t.label()).isEqualTo(t.name().toLowerCase());
        }
    }

    @Test
    void ofCodeFindsEachTypeAndNothingElse() {
        for (FrameType t : FrameType.values()) {
            assertThat(FrameType.ofCode(t.code())).contains(t);
        }
        assertThat(FrameType.ofCode(0)).isEmpty();
        assertThat(FrameType.ofCode(0x0a)).isEmpty();
        assertThat(FrameType.ofCode(0xff)).isEmpty();
        assertThat(FrameType.ofCode(-1)).isEmpty();
    }

    @Test
    void onlyLtxAndSnapshotCarryFilesAndOnlyEndHandoffErrorEndTheStream() {
        for (FrameType t : FrameType.values()) {
            assertThat(t.carriesFile()).as(t.name()).isEqualTo(t == FrameType.LTX || t == FrameType.SNAPSHOT);
            assertThat(t.endsStream()).as(t.name())
                    .isEqualTo(t == FrameType.END || t == FrameType.HANDOFF || t == FrameType.ERROR);
        }
    }
}
