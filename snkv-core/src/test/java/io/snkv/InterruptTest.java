package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller's interrupt must not break the store (the JDK closes a FileChannel on interrupt). */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void operationsOnAnInterruptedThreadWorkAndKeepTheFlag() {
        try (KVStore kv = KVStore.open(dir.resolve("i.db"), KVStoreConfig.builder().cacheSize(10).build())) {
            for (int i = 0; i < 2000; i++) {
                kv.put(("k" + i).getBytes(), new byte[100]);
            }
            Thread.currentThread().interrupt();
            try {
                kv.put("x".getBytes(), "y".getBytes());
                assertThat(kv.get("k1999".getBytes())).isPresent();
                assertThat(kv.count()).isEqualTo(2001);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            // The store still works afterwards, from a thread that is not interrupted.
            assertThat(kv.getString("x")).contains("y");
            kv.checkpoint(CheckpointMode.TRUNCATE);
            assertThat(kv.integrityCheck()).isEmpty();
        }
    }
}
