package io.snkv.node.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"snkv.db", "a", "A-Z_0.9", "db-", "x.walx", "wal", "-wal.db", "a..b", "my.tmp.db",
            "x-journalx", "pos", "_", "-"})
    void valid(String name) {
        assertThat(DatabaseName.isValid(name)).isTrue();
        assertThat(DatabaseName.validate(name)).isSameAs(name);
        assertThat(DatabaseName.problem(name.getBytes(StandardCharsets.US_ASCII), 0, name.length())).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", ".hidden", "a/b", "../x", "a b", "a\u0000b", "snkv.db-wal",
            "snkv.db-shm", "snkv.db-journal", "snkv.db-pos", "snkv.db.tmp", "-wal", ".tmp", "caf\u00e9", "a:b",
            "a\\b", "x\u2028"})
    void invalid(String name) {
        assertThat(DatabaseName.isValid(name)).isFalse();
        assertThatThrownBy(() -> DatabaseName.validate(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database name");
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        assertThat(DatabaseName.problem(utf8, 0, utf8.length)).isNotNull();
    }

    @Test
    void lengthIsOneTo255Bytes() {
        assertThat(DatabaseName.isValid("a".repeat(255))).isTrue();
        assertThat(DatabaseName.isValid("a".repeat(256))).isFalse();
        assertThatThrownBy(() -> DatabaseName.validate("a".repeat(256))).hasMessageContaining("256 bytes");
        assertThat(DatabaseName.isValid(null)).isFalse();
        assertThatThrownBy(() -> DatabaseName.validate(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesSayWhichRule() {
        assertThatThrownBy(() -> DatabaseName.validate(".x")).hasMessageContaining("starts with '.'");
        assertThatThrownBy(() -> DatabaseName.validate("x-wal")).hasMessageContaining("ends in -wal");
        assertThatThrownBy(() -> DatabaseName.validate("a/b")).hasMessageContaining("'/'").hasMessageContaining("index 1");
        assertThat(DatabaseName.problem(new byte[] {'a', (byte) 0xc3, (byte) 0xa9}, 0, 3))
                .contains("byte 0xc3 at index 1");
    }

    @Test
    void everyAllowedByteAloneIsValidExceptDot() {
        for (int b = 0; b < 256; b++) {
            boolean allowed = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '_' || b == '-';
            assertThat(DatabaseName.problem(new byte[] {(byte) b}, 0, 1) == null).as("byte %d", b).isEqualTo(allowed);
        }
    }
}
