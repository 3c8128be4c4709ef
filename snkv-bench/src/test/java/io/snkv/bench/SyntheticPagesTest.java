package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticPagesTest {
    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65536})
    void leafPagesHoldConsecutiveKeysBehindValidCellPointers(int pageSize) {
        byte[][] pages = SyntheticPages.generate(20, pageSize, 7);
        assertThat(pages).hasDimensions(20, pageSize);
        int expectedKey = 0;
        for (int i = 0; i < pages.length; i++) {
            if (SyntheticPages.isRandom(i)) {
                continue;
            }
            byte[] p = pages[i];
            assertThat(p[0]).as("page type").isEqualTo((byte) 0x0D);
            int cells = u16(p, 3);
            assertThat(cells).as("cells on page %d", i).isPositive();
            int contentStart = u16(p, 5) == 0 ? 65536 : u16(p, 5);
            assertThat(contentStart).isGreaterThanOrEqualTo(8 + 2 * cells);
            for (int c = 0; c < cells; c++) {
                int cell = u16(p, 8 + 2 * c);
                assertThat(cell).isBetween(contentStart, pageSize - 1);
                String text = new String(p, cell, Math.min(40, pageSize - cell), StandardCharsets.ISO_8859_1);
                assertThat(text).contains(String.format("key_%08d", expectedKey++));
            }
        }
        assertThat(SyntheticPages.generate(20, pageSize, 7)).isDeepEqualTo(pages);
        assertThat(SyntheticPages.generate(20, pageSize, 8)).isNotEqualTo(pages);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 9, 14})
    void everyFifthPageIsRandom(int i) {
        assertThat(SyntheticPages.isRandom(i)).isEqualTo(i % 5 == 4);
    }
}
