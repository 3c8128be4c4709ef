package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LtxUsageTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "ltx",
        "ltx nosuch",
        "ltx dump",
        "ltx dump a.ltx b.ltx",
        "ltx dump --bogus a.ltx",
        "ltx verify",
        "ltx checksum",
        "ltx checksum a.db b.db",
        "ltx encode-db",
        "ltx encode-db a.db b.db",
        "ltx encode-db a.db -o",
        "ltx apply",
        "ltx apply a.db",
    })
    void badUsageExitsTwoWithTheUsageOnStandardError(String line) {
        CliRun r = CliRun.of(line.split(" "));
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).doesNotContain("\tat ");
        if (!line.equals("ltx nosuch")) {
            assertThat(r.err()).contains("Usage: snkv ltx");
        } else {
            assertThat(r.err()).contains("Unmatched argument at index 1: 'nosuch'");
        }
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun r = CliRun.of("ltx", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: snkv ltx", "dump", "verify", "checksum", "encode-db", "apply");

        CliRun apply = CliRun.of("ltx", "help", "apply");
        assertThat(apply.exit()).isZero();
        assertThat(apply.out()).contains("Usage: snkv ltx apply [-hvV] DB FILE...", "--debug");

        CliRun encode = CliRun.of("ltx", "encode-db", "--help");
        assertThat(encode.out()).contains("-o, --output=OUT");
    }
}
