package io.snkv.bench;

/** The command line of {@link LtxCodecBench}, checked once. */
record CodecBenchOptions(int pages, int pageSize, int warmup, int iterations, int memoryMib, long seed) {

    static final String USAGE = String.join("\n",
            "usage: LtxCodecBench [--pages N] [--page-size B] [--warmup W] [--iterations N] [--memory-mib M]"
                    + " [--seed S]",
            "  --pages       pages in the LTX file (default 25600: 100 MiB of page data at 4096)",
            "  --page-size   512..65536, a power of two (default 4096)",
            "  --warmup      unmeasured runs of each operation before the measured ones (default 3)",
            "  --iterations  measured runs of each operation; median, min and max are printed (default 7)",
            "  --memory-mib  size of each buffer of the memory-bandwidth reference (default 256)",
            "  --seed        seed of the page content (default 1)",
            "Page content: " + SyntheticPages.MIX + ".",
            "The table goes to standard output.");

    static CodecBenchOptions parse(String[] args) {
        int pages = 25_600;
        int pageSize = 4096;
        int warmup = 3;
        int iterations = 7;
        int memoryMib = 256;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--pages" -> pages = atLeast(option, value, 1);
                case "--page-size" -> pageSize = atLeast(option, value, 1);
                case "--warmup" -> warmup = atLeast(option, value, 0);
                case "--iterations" -> iterations = atLeast(option, value, 1);
                case "--memory-mib" -> memoryMib = atLeast(option, value, 1);
                case "--seed" -> seed = OptionValues.parseLong(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("--page-size must be a power of two in 512..65536");
        }
        if ((long) pages * pageSize > 1L << 30) {
            // The encoded file (a little larger than the pages when they do not compress) is one byte array.
            throw new IllegalArgumentException("--pages x --page-size must be at most 1 GiB");
        }
        if (memoryMib > 8192) {
            throw new IllegalArgumentException("--memory-mib must be at most 8192");
        }
        return new CodecBenchOptions(pages, pageSize, warmup, iterations, memoryMib, seed);
    }

    private static int atLeast(String option, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes an integer, got " + value);
        }
        if (n < min) {
            throw new IllegalArgumentException(option + " must be at least " + min);
        }
        return n;
    }
}
