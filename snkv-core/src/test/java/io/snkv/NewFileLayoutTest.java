package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new store's file is laid out byte for byte as the C library lays out empty.db. */
class NewFileLayoutTest {
    @TempDir
    Path dir;

    @Test
    void newStoreMatchesTheCLibrarysEmptyFile() throws Exception {
        Path db = dir.resolve("new.db");
        try (KVStore kv = KVStore.open(db)) {
            // Before any checkpoint the initial pages are already in the database file: a C process
            // that finds an empty database file deletes the WAL as stale.
            assertThat(Files.size(db)).isEqualTo(4 * 4096);
            assertThat(kv.count()).isZero();
        }
        byte[] ours = Files.readAllBytes(db);
        byte[] golden = Files.readAllBytes(GoldenFiles.dir().resolve("empty.db"));
        assertThat(ours).hasSameSizeAs(golden);
        // Pages 2..4 (pointer map, default family root, family table root) are identical.
        assertThat(Arrays.copyOfRange(ours, 4096, ours.length)).isEqualTo(Arrays.copyOfRange(golden, 4096, golden.length));
        // Page 1: identical but for the change counter and its "version valid for" copy.
        byte[] a = Arrays.copyOf(ours, 4096);
        byte[] b = Arrays.copyOf(golden, 4096);
        for (int off : new int[] {24, 92}) {
            Arrays.fill(a, off, off + 4, (byte) 0);
            Arrays.fill(b, off, off + 4, (byte) 0);
        }
        assertThat(a).isEqualTo(b);
        assertThat(Files.exists(dir.resolve("new.db-wal"))).isFalse();
    }

    @Test
    void newRollbackJournalStoreHasVersionBytesOne() throws Exception {
        Path db = dir.resolve("d.db");
        try (KVStore kv = KVStore.open(db, KVStoreConfig.builder().journalMode(JournalMode.DELETE).pageSize(1024).build())) {
            kv.put("k".getBytes(), "v".getBytes());
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(db), 100);
        assertThat(head[18]).isEqualTo((byte) 1);
        assertThat(head[19]).isEqualTo((byte) 1);
        assertThat(((head[16] & 0xff) << 8) | (head[17] & 0xff)).isEqualTo(1024);
        assertThat(Files.exists(dir.resolve("d.db-journal"))).isFalse();
    }
}
