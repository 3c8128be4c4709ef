package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snkv mount} stops at once, with one line and exit 1, on anything it cannot run with. */
class MountCommandTest {
    @TempDir
    Path dir;

    private CliRun mount(String yaml) throws IOException {
        Path cfg = dir.resolve("node.yml");
        Files.writeString(cfg, yaml);
        return CliRun.of("mount", "-config", cfg.toString());
    }

    private static String base(Path dir) {
        return "fuse:\n  dir: " + dir.resolve("mnt") + "\ndata:\n  dir: " + dir.resolve("data") + "\n";
    }

    @Test
    void anUnknownKeyIsNamed() throws IOException {
        CliRun r = mount(base(dir) + "lease:\n  type: static\n  candiate: true\n  advertise-url: http://127.0.0.1:1\n");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().trim().lines()).hasSize(1);
        assertThat(r.err()).contains("lease.candiate");
    }

    @Test
    void consulAndEtcdAreRefusedForNow() throws IOException {
        CliRun r = mount(base(dir) + "lease:\n  type: consul\n  advertise-url: http://127.0.0.1:1\n"
                + "  consul:\n    url: http://127.0.0.1:8500\n    key: litefs/primary\n");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("lease.type: consul is not supported yet");
    }

    @Test
    void aMissingConfigurationFileIsNamed() {
        CliRun r = CliRun.of("mount", "-config", dir.resolve("nope.yml").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("nope.yml");
    }

    @Test
    void anAddressInUseStopsTheNode() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = mount(base(dir) + "http:\n  addr: \"127.0.0.1:" + taken.getLocalPort() + "\"\nlease:\n  type: static\n"
                    + "  candidate: true\n  advertise-url: http://127.0.0.1:" + taken.getLocalPort() + "\n");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains(Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void exitOnErrorFalseKeepsAFailedNodeUpForDebugging() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path cfg = dir.resolve("node.yml");
            Files.writeString(cfg, base(dir) + "exit-on-error: false\nhttp:\n  addr: \"127.0.0.1:" + taken.getLocalPort()
                    + "\"\nlease:\n  type: static\n  candidate: true\n  advertise-url: http://127.0.0.1:1\n");
            Path err = dir.resolve("err.txt");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "mount", "-debug", "-config", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(err.toFile()).start();
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!Files.readString(err).contains("staying up") && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(Files.readString(err)).contains(Integer.toString(taken.getLocalPort())).contains("staying up");
                assertThat(p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)).as("still running").isFalse();
            } finally {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void debugIsAcceptedAndABadConfigurationStillExitsOne() throws IOException {
        Path cfg = dir.resolve("node.yml");
        Files.writeString(cfg, base(dir) + "lease:\n  type: static\n  candiate: true\n");
        CliRun r = CliRun.of("mount", "-debug", "-config", cfg.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("candiate");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamed() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");
        CliRun r = mount("fuse:\n  dir: " + dir.resolve("mnt") + "\ndata:\n  dir: " + file.resolve("data")
                + "\nlease:\n  type: static\n  candidate: true\n  advertise-url: http://127.0.0.1:1\nhttp:\n  addr: \"127.0.0.1:0\"\n");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(file.toString());
        assertThat(r.err().trim().lines().filter(l -> !l.startsWith("warning")).count()).as(r.toString()).isEqualTo(1);
    }
}
