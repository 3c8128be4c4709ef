package io.snkv.node;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The nodes running in this JVM, by data directory, so a store in the same process tells its node about a
 * commit directly instead of over HTTP. Thread-safe.
 */
final class LocalNodes {
    private static final Map<Path, Consumer<String>> NODES = new ConcurrentHashMap<>();

    private LocalNodes() {
    }

    static void register(Path dataDir, Consumer<String> onCommit) {
        NODES.put(dataDir.toAbsolutePath().normalize(), onCommit);
    }

    static void unregister(Path dataDir) {
        NODES.remove(dataDir.toAbsolutePath().normalize());
    }

    static void notifyCommit(String dataDir, String databaseName) {
        Consumer<String> c = NODES.get(Path.of(dataDir).toAbsolutePath().normalize());
        if (c != null) {
            c.accept(databaseName);
        }
    }
}
