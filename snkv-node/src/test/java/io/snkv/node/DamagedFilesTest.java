package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.LtxPosition;
import org.junit.jupiter.api.Test;

class DamagedFilesTest {
    private static final LtxPosition AT_5 = new LtxPosition(5, 0x8000_0000_0000_0005L);
    private static final LtxPosition AT_6 = new LtxPosition(6, 0x8000_0000_0000_0006L);

    @Test
    void theThirdDamagedFileAtOnePositionAsksForASnapshot() {
        DamagedFiles d = new DamagedFiles();
        assertThat(d.thirdAt("a.db", AT_5)).isFalse();
        assertThat(d.thirdAt("a.db", AT_5)).isFalse();
        assertThat(d.thirdAt("a.db", AT_5)).isTrue();
        assertThat(d.thirdAt("a.db", AT_5)).as("counting starts again after the snapshot request").isFalse();
    }

    @Test
    void progressOrAnotherPositionStartsTheCountAgain() {
        DamagedFiles d = new DamagedFiles();
        d.thirdAt("a.db", AT_5);
        d.thirdAt("a.db", AT_5);
        assertThat(d.thirdAt("a.db", AT_6)).isFalse();
        assertThat(d.thirdAt("a.db", AT_6)).isFalse();
        d.applied("a.db");
        assertThat(d.thirdAt("a.db", AT_6)).isFalse();
        assertThat(d.thirdAt("a.db", AT_6)).isFalse();
        assertThat(d.thirdAt("a.db", AT_6)).isTrue();
    }

    @Test
    void databasesCountApart() {
        DamagedFiles d = new DamagedFiles();
        d.thirdAt("a.db", AT_5);
        d.thirdAt("a.db", AT_5);
        assertThat(d.thirdAt("b.db", AT_5)).isFalse();
        assertThat(d.thirdAt("a.db", AT_5)).isTrue();
    }
}
