package io.snkv.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A tiny run, for its shape only: rates are printed, never asserted. */
class LtxCodecBenchTest {
    @Test
    void printsEveryOperationWithItsRatios() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodecBenchOptions options = CodecBenchOptions.parse(new String[] {"--pages", "40", "--page-size", "1024",
                "--warmup", "0", "--iterations", "2", "--memory-mib", "1"});
        new LtxCodecBench(options, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("page size 1024, 40 pages", "32 pages", "8 pages", "median MB/s");
        for (String row : new String[] {"encode -> counting stream", "encode -> ByteArrayOutputStream",
                "decode+verify <- byte[]", "CRC-64/ISO alone", "LZ4 compress alone (PageCompressor)",
                "LZ4 compress alone (lz4-java Java)", "LZ4 decompress alone",
                "memory: System.arraycopy (read+write)", "memory: sequential long sum (read)"}) {
            assertThat(report).containsPattern("(?m)^" + java.util.regex.Pattern.quote(row) + " +[0-9]");
        }
    }
}
