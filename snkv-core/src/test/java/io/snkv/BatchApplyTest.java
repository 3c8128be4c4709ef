package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several LTX files applied as one transaction (a replica catching up) give exactly what applying them one by
 * one gives: same content, checksum, position and log files, through growth, deletes and incremental vacuum
 * shrinking the file mid-batch; a batch holding a damaged file commits nothing and moves nothing. Seed printed;
 * rerun with {@code -Dsnkv.seed=<seed>}.
 */
class BatchApplyTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());

    @TempDir
    Path dir;
    private List<Path> sourceFiles;
    private Random rnd;

    @BeforeEach
    void capturedHistory() throws IOException {
        System.out.println("BatchApplyTest seed " + SEED);
        rnd = new Random(SEED);
        try (KVStore s = KVStore.open(dir.resolve("src.db"), KVStoreConfig.builder().changeCapture(dir.resolve("src-data")).build())) {
            List<byte[]> keys = new ArrayList<>();
            for (int txn = 0; txn < 300; txn++) {
                boolean shrinking = (txn / 60) % 2 == 1;
                s.begin(true);
                for (int op = 0; op < 1 + rnd.nextInt(6); op++) {
                    if (!keys.isEmpty() && rnd.nextInt(100) < (shrinking ? 70 : 20)) {
                        s.delete(keys.remove(rnd.nextInt(keys.size())));
                    } else {
                        byte[] k = ("k" + rnd.nextInt(100_000)).getBytes(StandardCharsets.US_ASCII);
                        byte[] v = new byte[rnd.nextInt(30) == 0 ? 4096 * (1 + rnd.nextInt(4)) : 10 + rnd.nextInt(300)];
                        rnd.nextBytes(v);
                        s.put(k, v);
                        keys.add(k);
                    }
                }
                s.commit();
                if (shrinking && rnd.nextInt(10) == 0) {
                    s.incrementalVacuum(0);
                }
            }
        }
        try (Stream<Path> files = Files.list(dir.resolve("src-data/dbs/src.db/ltx"))) {
            sourceFiles = files.filter(p -> p.toString().endsWith(".ltx")).sorted().toList();
        }
        assertThat(sourceFiles).hasSizeGreaterThan(200);
    }

    private Path copy(Path f) throws IOException {
        Path to = Files.createDirectories(dir.resolve("received")).resolve(f.getFileName());
        return Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static TreeMap<String, byte[]> contents(KVStore s) {
        TreeMap<String, byte[]> m = new TreeMap<>();
        try (KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key(), StandardCharsets.ISO_8859_1), it.value());
            }
        }
        return m;
    }

    @Test
    void batchesOfAnySizeEndWhereFileByFileEnds() throws IOException {
        KVStoreConfig one = KVStoreConfig.builder().changeCapture(dir.resolve("one-data")).build();
        KVStoreConfig many = KVStoreConfig.builder().changeCapture(dir.resolve("many-data")).build();
        try (KVStore a = KVStore.open(dir.resolve("one.db"), one); KVStore b = KVStore.open(dir.resolve("many.db"), many)) {
            for (Path f : sourceFiles) {
                a.applyLtx(f);
            }
            b.applyLtx(sourceFiles.get(0)); // the TXID-1 snapshot
            int batches = 0;
            for (int i = 1; i < sourceFiles.size(); ) {
                int n = Math.min(1 + rnd.nextInt(30), sourceFiles.size() - i);
                List<Path> batch = new ArrayList<>();
                for (Path f : sourceFiles.subList(i, i + n)) {
                    batch.add(copy(f));
                }
                List<LtxPosition> after = b.applyLtx(batch, true);
                assertThat(after).hasSize(n);
                assertThat(b.capturePosition()).contains(after.get(n - 1));
                assertThat(batch).allMatch(p -> !Files.exists(p)); // moved into the log
                i += n;
                batches++;
            }
            assertThat(b.capturePosition()).isEqualTo(a.capturePosition());
            assertThat(b.checksum()).isEqualTo(a.checksum()).isEqualTo(b.capturePosition().orElseThrow().checksum());
            TreeMap<String, byte[]> expected = contents(a);
            TreeMap<String, byte[]> got = contents(b);
            assertThat(got.keySet()).isEqualTo(expected.keySet());
            for (var e : expected.entrySet()) {
                assertThat(Arrays.equals(got.get(e.getKey()), e.getValue())).as("value of " + e.getKey()).isTrue();
            }
            assertThat(b.integrityCheck()).isEmpty();
            System.out.println("BatchApplyTest: " + (sourceFiles.size() - 1) + " files in " + batches + " batches");
        }
        try (Stream<Path> s1 = Files.list(dir.resolve("one-data/dbs/one.db/ltx"));
             Stream<Path> s2 = Files.list(dir.resolve("many-data/dbs/many.db/ltx"))) {
            assertThat(s2.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(s1.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aBatchWithADamagedFileCommitsNothingAndMovesNothing() throws IOException {
        KVStoreConfig cfg = KVStoreConfig.builder().changeCapture(dir.resolve("t-data")).build();
        try (KVStore t = KVStore.open(dir.resolve("t.db"), cfg)) {
            t.applyLtx(sourceFiles.get(0));
            LtxPosition before = t.capturePosition().orElseThrow();
            long checksum = t.checksum();
            List<Path> batch = new ArrayList<>();
            for (Path f : sourceFiles.subList(1, 6)) {
                batch.add(copy(f));
            }
            byte[] bad = Files.readAllBytes(batch.get(3));
            bad[bad.length / 2] ^= 0x10;
            Files.write(batch.get(3), bad);
            assertThatThrownBy(() -> t.applyLtx(batch, true)).isInstanceOf(KVException.class);
            assertThat(t.capturePosition()).contains(before);
            assertThat(t.checksum()).isEqualTo(checksum);
            assertThat(batch).allMatch(Files::exists);
            try (Stream<Path> log = Files.list(dir.resolve("t-data/dbs/t.db/ltx"))) {
                assertThat(log.filter(p -> p.toString().endsWith(".ltx")).count()).isEqualTo(1);
            }
            List<LtxPosition> after = t.applyLtx(batch.subList(0, 3), true);
            assertThat(after.get(2).txid()).isEqualTo(before.txid() + 3);
            assertThat(t.checksum()).isEqualTo(after.get(2).checksum());
        }
    }

    @Test
    void snapshotsAndStoresWithoutCaptureAreRefused() throws IOException {
        try (KVStore plain = KVStore.open(dir.resolve("plain.db"))) {
            assertThatThrownBy(() -> plain.applyLtx(List.of(sourceFiles.get(1)), false)).isInstanceOf(KVException.class)
                    .hasMessageContaining("change capture");
        }
        try (KVStore t = KVStore.open(dir.resolve("t2.db"), KVStoreConfig.builder().changeCapture(dir.resolve("t2")).build())) {
            assertThatThrownBy(() -> t.applyLtx(List.of(sourceFiles.get(0)), false)).isInstanceOf(KVException.class)
                    .hasMessageContaining("snapshot");
        }
    }
}
