package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void putGetReopen() {
        Path db = dir.resolve("a.db");
        try (KVStore s = KVStore.open(db)) {
            s.begin(true);
            for (int i = 0; i < 20000; i++) {
                s.put(("key_" + i).getBytes(), ("value_" + i).getBytes());
            }
            s.commit();
            assertThat(s.count()).isEqualTo(20000);
            assertThat(s.integrityCheck()).isEmpty();
        }
        try (KVStore s = KVStore.open(db)) {
            assertThat(s.getString("key_123")).contains("value_123");
            assertThat(s.count()).isEqualTo(20000);
            for (int i = 0; i < 20000; i += 2) {
                assertThat(s.delete(("key_" + i).getBytes())).isTrue();
            }
            assertThat(s.count()).isEqualTo(10000);
            assertThat(s.integrityCheck()).isEmpty();
        }
    }

    @Test
    void randomAgainstModel() {
        long seed = System.nanoTime();
        System.out.println("seed " + seed);
        Random rnd = new Random(seed);
        TreeMap<String, byte[]> model = new TreeMap<>();
        Path db = dir.resolve("b.db");
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().pageSize(1024).build())) {
            for (int i = 0; i < 30000; i++) {
                String k = "k" + rnd.nextInt(3000);
                int op = rnd.nextInt(10);
                if (op < 6) {
                    byte[] v = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(5000) : rnd.nextInt(60)];
                    rnd.nextBytes(v);
                    s.put(k.getBytes(StandardCharsets.UTF_8), v);
                    model.put(k, v);
                } else {
                    assertThat(s.delete(k.getBytes(StandardCharsets.UTF_8))).isEqualTo(model.remove(k) != null);
                }
            }
            assertThat(s.integrityCheck()).isEmpty();
            assertThat(s.count()).isEqualTo(model.size());
            try (KVIterator it = s.iterator()) {
                boolean ok = it.first();
                for (var e : model.entrySet()) {
                    assertThat(ok).isTrue();
                    assertThat(new String(it.key(), StandardCharsets.UTF_8)).isEqualTo(e.getKey());
                    assertThat(it.value()).isEqualTo(e.getValue());
                    ok = it.next();
                }
                assertThat(ok).isFalse();
            }
        }
    }

    @Test
    void goldenSmall() throws Exception {
        Path shared = Path.of(System.getProperty("snkv.shared", "../shared"));
        Path src = shared.resolve("golden/snkv/small.db");
        Path db = dir.resolve("small.db");
        Files.copy(src, db, StandardCopyOption.REPLACE_EXISTING);
        try (KVStore s = KVStore.open(db)) {
            assertThat(s.count()).isEqualTo(1007);
            assertThat(s.getString("k0001")).contains("v1-x");
            assertThat(s.integrityCheck()).isEmpty();
        }
    }
}
