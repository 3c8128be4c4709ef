package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's writer and reader as the demo runs them: each in its own JVM with a 64 MiB heap, with a
 * platform encoding that cannot print ✓ and a locale whose decimal separator is a comma, so the bytes on
 * standard output are the seed's all the same.
 */
@Tag("multiprocess")
class DemoChildJvmTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result snkv(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-Dfile.encoding=ISO-8859-1", "-Dstdout.encoding=US-ASCII", "-Dstderr.encoding=US-ASCII",
                "-Duser.language=de", "-Duser.country=DE", "-cp", classPath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("snkv " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Main's classes first (surefire may hand us a manifest-only jar), then the whole class path. */
    private static String classPath() {
        try {
            String main = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return main + File.pathSeparator + System.getProperty("java.class.path");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writerAndReaderRunInSixtyFourMegabytesAndPrintTheSeedsBytes() throws Exception {
        Files.createDirectory(dir.resolve("mnt1"));
        Result w = snkv("demo", "writer"); // default directory: ./mnt1
        assertThat(w.exit()).as("writer: %s", w).isZero();
        assertThat(w.out().lines()).containsExactlyElementsOf(DemoSeedOutput.WRITER.lines().toList());
        assertThat(w.err()).matches("last-commit unix-ms=\\d+\\R");

        Result r = snkv("demo", "reader", "--dir", "mnt1");
        assertThat(r.exit()).as("reader: %s", r).isZero();
        assertThat(r.out().lines()).containsExactlyElementsOf(DemoSeedOutput.READER_PASS.lines().toList());
        assertThat(r.err()).isEmpty();
    }
}
