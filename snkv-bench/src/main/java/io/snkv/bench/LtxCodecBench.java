package io.snkv.bench;

import io.snkv.ltx.Crc64Iso;
import io.snkv.ltx.LtxChecksums;
import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxEncoder;
import io.snkv.ltx.LtxHeader;
import io.snkv.ltx.LtxPageFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Throughput of the LTX codec on one large file, beside a memory-bandwidth reference taken in the same process:
 * {@code java -cp snkv-bench/target/snkv-bench.jar:snkv-bench/target/lib/* io.snkv.bench.LtxCodecBench}.
 *
 * <p>One incremental file (min TXID 2, so no snapshot checksum pass) holding pages 1..N of {@link SyntheticPages}.
 * Codec rates count uncompressed page bytes per second: encode (to a counting stream, and to a
 * {@code ByteArrayOutputStream} sized to the file), decode with full verification (from a byte array), and the two
 * parts alone: CRC-64/ISO over the pages, LZ4 block compression with {@code LtxEncoder}'s own
 * {@code PageCompressor} and, for comparison, lz4-java's pure-Java fast compressor, and decompression with
 * {@code LtxDecoder}'s lz4-java safe instance. The memory
 * reference: {@code System.arraycopy} between two arrays of {@code --memory-mib} MiB, counted as bytes read plus
 * bytes written, and a sequential sum of the longs of one of them, counted as bytes read. Each operation runs
 * {@code --warmup} times unmeasured, then {@code --iterations} times measured; the table gives median, slowest and
 * fastest rate, and the median's ratio to each memory figure. Single-threaded; nothing here is asserted.
 */
public final class LtxCodecBench {

    /** As {@code LtxEncoder} and {@code LtxDecoder} choose them; change together. */
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestJavaInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();

    private final CodecBenchOptions options;
    private final PrintStream out;
    /** Folds every operation's result in, so the JIT cannot drop the work; printed at the end. */
    private long sink;

    LtxCodecBench(CodecBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        CodecBenchOptions options;
        try {
            options = CodecBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(CodecBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        new LtxCodecBench(options, System.out).run();
    }

    void run() throws IOException {
        int pageSize = options.pageSize();
        int count = options.pages();
        long pageBytes = (long) count * pageSize;
        byte[][] pages = SyntheticPages.generate(count, pageSize, options.seed());
        LtxHeader header = LtxHeader.of(pageSize, count, 2, 2, 1_700_000_000_000L, LtxChecksums.FLAG | 1);
        long postApply = LtxChecksums.FLAG | 2;

        byte[][] blocks = new byte[count][];
        long leafCompressed = 0;
        long randomCompressed = 0;
        int randomPages = 0;
        for (int i = 0; i < count; i++) {
            blocks[i] = COMPRESSOR.compress(pages[i]);
            if (SyntheticPages.isRandom(i)) {
                randomCompressed += blocks[i].length;
                randomPages++;
            } else {
                leafCompressed += blocks[i].length;
            }
        }
        byte[] file = encode(pages, header, postApply, new ByteArrayOutputStream()).toByteArray();
        int leafPages = count - randomPages;

        printSettings(pageBytes, file.length, leafPages, leafCompressed, randomPages, randomCompressed);

        long[] source = new long[(int) (((long) options.memoryMib() << 20) / Long.BYTES)];
        long[] target = new long[source.length];
        for (int i = 0; i < source.length; i++) {
            source[i] = i * 0x9E3779B97F4A7C15L;
        }
        long memoryBytes = (long) source.length * Long.BYTES;
        Throughput copy = measure("memory: System.arraycopy (read+write)", 2 * memoryBytes, () -> {
            System.arraycopy(source, 0, target, 0, source.length);
            return target[target.length / 2];
        });
        Throughput read = measure("memory: sequential long sum (read)", memoryBytes, () -> {
            long s = 0;
            for (long v : source) {
                s += v;
            }
            return s;
        });

        List<Throughput> codec = new ArrayList<>();
        codec.add(measure("encode -> counting stream", pageBytes, () -> {
            CountingOutputStream sinkStream = new CountingOutputStream();
            encode(pages, header, postApply, sinkStream);
            return sinkStream.count;
        }));
        codec.add(measure("encode -> ByteArrayOutputStream", pageBytes,
                () -> encode(pages, header, postApply, new ByteArrayOutputStream(file.length)).size()));
        codec.add(measure("decode+verify <- byte[]", pageBytes, () -> {
            LtxDecoder d = new LtxDecoder(new ByteArrayInputStream(file));
            long s = 0;
            for (LtxPageFrame f; (f = d.readPage()) != null; ) {
                s += f.data()[0];
            }
            return s ^ d.trailer().fileChecksum();
        }));
        codec.add(measure("CRC-64/ISO alone", pageBytes, () -> {
            Crc64Iso crc = new Crc64Iso();
            for (byte[] p : pages) {
                crc.update(p, 0, p.length);
            }
            return crc.value();
        }));
        byte[] scratch = new byte[COMPRESSOR.maxCompressedLength(pageSize)];
        io.snkv.ltx.PageCompressor ours = new io.snkv.ltx.PageCompressor();
        byte[] oursScratch = new byte[io.snkv.ltx.PageCompressor.maxCompressedLength(pageSize)];
        codec.add(measure("LZ4 compress alone (PageCompressor)", pageBytes, () -> {
            long n = 0;
            for (byte[] p : pages) {
                n += ours.compress(p, p.length, oursScratch);
            }
            return n;
        }));
        codec.add(measure("LZ4 compress alone (lz4-java Java)", pageBytes, () -> {
            long n = 0;
            for (byte[] p : pages) {
                n += COMPRESSOR.compress(p, 0, p.length, scratch, 0, scratch.length);
            }
            return n;
        }));
        byte[] page = new byte[pageSize];
        codec.add(measure("LZ4 decompress alone", pageBytes, () -> {
            long n = 0;
            for (byte[] b : blocks) {
                n += DECOMPRESSOR.decompress(b, 0, b.length, page, 0, pageSize);
            }
            return n;
        }));

        printTable(codec, copy, read);
    }

    private static <T extends OutputStream> T encode(byte[][] pages, LtxHeader header, long postApply, T to)
            throws IOException {
        LtxEncoder e = new LtxEncoder(to, header);
        for (int i = 0; i < pages.length; i++) {
            e.writePage(i + 1, pages[i]);
        }
        e.finish(postApply);
        return to;
    }

    @FunctionalInterface
    private interface Operation {
        long run() throws IOException;
    }

    private Throughput measure(String name, long bytesPerRun, Operation operation) throws IOException {
        System.gc(); // garbage of the previous operation is not collected on this one's time
        for (int i = 0; i < options.warmup(); i++) {
            sink += operation.run();
        }
        long[] nanos = new long[options.iterations()];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            sink += operation.run();
            nanos[i] = System.nanoTime() - start;
        }
        return new Throughput(name, bytesPerRun, nanos);
    }

    private void printSettings(long pageBytes, long fileBytes, int leafPages, long leafCompressed, int randomPages,
            long randomCompressed) {
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "LTX codec throughput: page size %d, %d pages = %.1f MiB of page data, %d warm-up"
                + " + %d measured runs of each operation%n", options.pageSize(), options.pages(), pageBytes / 1048576.0,
                options.warmup(), options.iterations());
        out.printf(Locale.ROOT, "pages: %s (seed %d)%n", SyntheticPages.MIX, options.seed());
        out.printf(Locale.ROOT, "LZ4 size / page size: b-tree-like %.3f (%d pages), random %.3f (%d pages);"
                + " file %d bytes = %.3f of page data%n", ratio(leafCompressed, (long) leafPages * options.pageSize()),
                leafPages, ratio(randomCompressed, (long) randomPages * options.pageSize()), randomPages, fileBytes,
                (double) fileBytes / pageBytes);
        out.printf(Locale.ROOT, "jvm: %s %s, flags %s, max heap %d MiB; cpus: %d (%s); os: %s %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), rt.maxMemory() >> 20,
                rt.availableProcessors(), cpuModel(), System.getProperty("os.name"), System.getProperty("os.version"));
        out.printf(Locale.ROOT, "load average at start: %s (other processes on these cpus skew every figure)%n",
                loadAverage());
        out.printf(Locale.ROOT, "MB = 10^6 bytes; codec rates count uncompressed page bytes; memory buffers %d MiB%n",
                options.memoryMib());
        out.println();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("cpu model unknown");
        } catch (IOException | RuntimeException e) {
            return "cpu model unknown";
        }
    }

    private void printTable(List<Throughput> codec, Throughput copy, Throughput read) {
        String row = "%-40s %11s %10s %10s %10s %10s%n";
        out.printf(Locale.ROOT, row, "operation", "median MB/s", "min MB/s", "max MB/s", "/ copy", "/ read");
        for (Throughput t : codec) {
            out.printf(Locale.ROOT, row, t.operation(), rate(t.median()), rate(t.min()), rate(t.max()),
                    String.format(Locale.ROOT, "%.3f", t.median() / copy.median()),
                    String.format(Locale.ROOT, "%.3f", t.median() / read.median()));
        }
        for (Throughput t : List.of(copy, read)) {
            out.printf(Locale.ROOT, row, t.operation(), rate(t.median()), rate(t.min()), rate(t.max()), "", "");
        }
        out.println();
        out.println("/ copy, / read: the median codec rate over the median System.arraycopy (read+write) and long-sum"
                + " (read) rates");
        out.printf(Locale.ROOT, "load average at end: %s; (result fold, ignore: %x)%n", loadAverage(), sink);
    }

    private static String rate(double mbPerSecond) {
        return String.format(Locale.ROOT, "%.1f", mbPerSecond);
    }

    /** Counts bytes and keeps none: the encoder's cost without a destination's. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
