package io.snkv.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the {@code snkv} command.
 *
 * <pre>
 * snkv demo [--dir DIR] [--chunks N] [--chunk-size BYTES]
 *     writes N chunks (default 10 x 1 MiB) into DIR/snkv.db (default ./demo-data) in WAL mode, closes
 *     it, reopens it read-only and verifies every byte; exit 0 on PASS, 1 on FAIL, 2 on bad usage
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8)));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("demo")) {
            err.println("usage: snkv demo [--dir DIR] [--chunks N] [--chunk-size BYTES]");
            return 2;
        }
        Path dir = Path.of("demo-data");
        int chunks = 10;
        int chunkSize = 1024 * 1024;
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--dir" -> dir = Path.of(v);
                    case "--chunks" -> chunks = positive(a, v);
                    case "--chunk-size" -> chunkSize = positive(a, v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("snkv demo: " + e.getMessage());
            return 2;
        }
        try {
            Files.createDirectories(dir);
            Path db = dir.resolve("snkv.db");
            DemoWriter.run(db, chunks, chunkSize, out);
            out.println();
            return DemoReader.run(db, chunks, chunkSize, out) ? 0 : 1;
        } catch (java.io.IOException | RuntimeException e) {
            err.println("snkv demo: " + e.getMessage());
            return 1;
        }
    }

    private static int positive(String opt, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a positive integer, got '" + v + "'");
        }
    }
}
