package io.snkv.cli;

import io.snkv.KVStoreConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The demo's workload, shared by {@code demo}, {@code demo writer} and {@code demo reader}: N chunks of
 * BYTES each (the seed's 10 x 1 MiB by default). A picocli mixin; one instance per command per run.
 */
final class DemoChunkOptions {
    /** The store is opened with the default limits, so a larger chunk could never be written. */
    static final int MAX_CHUNK_SIZE = KVStoreConfig.DEFAULT_MAX_VALUE_SIZE;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private int chunks = 10;
    private int chunkSize = 1024 * 1024;

    @Option(names = "--chunks", paramLabel = "N", description = "number of chunks (default: 10)")
    void chunks(String value) {
        chunks = positive("--chunks", value);
    }

    @Option(names = "--chunk-size", paramLabel = "BYTES",
            description = "bytes per chunk, at most 10485760 (default: 1048576)")
    void chunkSize(String value) {
        int n = positive("--chunk-size", value);
        if (n > MAX_CHUNK_SIZE) {
            throw new ParameterException(mixee.commandLine(), "--chunk-size must be at most " + MAX_CHUNK_SIZE
                    + " (the store's value limit), got '" + value + "'");
        }
        chunkSize = n;
    }

    int chunks() {
        return chunks;
    }

    int chunkSize() {
        return chunkSize;
    }

    /** Parsed here rather than by picocli's int converter so the message says what is wanted. */
    private int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(mixee.commandLine(), option + " needs a positive integer, got '" + value + "'");
    }
}
