package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.internal.io.ByteRangeLocks;
import io.snkv.internal.io.SharedMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One writer appending and publishing headers while readers take snapshots and look pages up, as
 * SQLite's protocol allows without locks between them: every accepted header must be one the writer
 * published, and every lookup must answer for the reader's snapshot, whatever the writer adds meanwhile.
 */
class WalIndexConcurrencyTest {
    private static final int FRAMES = 12_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"heap", "mapped", "shared"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readersSeeConsistentSnapshotsWhileTheWriterAppends(String kind) throws Exception {
        Random r = new Random(99);
        int[] pageOf = new int[FRAMES + 1];
        for (int f = 1; f <= FRAMES; f++) {
            pageOf[f] = r.nextInt(3) == 0 ? 1 + r.nextInt(8) : 1 + r.nextInt(2000);
        }
        // frames of each page, ascending, for the expected answers
        int[][] framesOf = new int[2001][0];
        for (int f = 1; f <= FRAMES; f++) {
            int[] a = framesOf[pageOf[f]];
            a = Arrays.copyOf(a, a.length + 1);
            a[a.length - 1] = f;
            framesOf[pageOf[f]] = a;
        }

        Object owner = new Object();
        ByteRangeLocks locks = kind.equals("shared") ? ByteRangeLocks.forFile(dir.resolve("s-shm"), true) : null;
        SharedMemory memory = locks != null ? SharedMemory.open(locks) : null;
        try (ShmAccess shm = switch (kind) {
            case "heap" -> new HeapShm();
            case "mapped" -> MappedShm.open(dir.resolve("c-shm"), false);
            default -> new SharedMemoryShm(memory, dir.resolve("s-shm"), true);
        }) {
            WalIndexHeader.of(0, false, 4096, 0, 1, 0, 0, 1, 2).write(shm);
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    long seed = t;
                    readers.add(pool.submit(() -> {
                        Random rr = new Random(seed);
                        WalIndexHashTable index = new WalIndexHashTable(shm);
                        int checks = 0;
                        while (!done.get() || checks == 0) {
                            WalIndexHeader h = WalIndexHeader.read(shm);
                            if (h == null) {
                                continue; // the writer was midway; a reader retries
                            }
                            int mx = h.mxFrame();
                            assertThat(h.nPage()).isEqualTo(mx * 3 + 1);
                            assertThat(h.change()).isEqualTo(mx);
                            for (int i = 0; i < 50; i++) {
                                int p = 1 + rr.nextInt(2000);
                                int[] fs = framesOf[p];
                                int at = Arrays.binarySearch(fs, mx);
                                int pos = at >= 0 ? at : -at - 2; // the last frame <= mx
                                int expected = pos >= 0 ? fs[pos] : 0;
                                assertThat(index.find(p, mx, 1)).as("page %d at %d", p, mx).isEqualTo(expected);
                                checks++;
                            }
                        }
                        return checks;
                    }));
                }
                WalIndexHashTable index = new WalIndexHashTable(shm);
                int f = 0;
                while (f < FRAMES) {
                    int n = Math.min(FRAMES - f, 1 + r.nextInt(60));
                    for (int i = 0; i < n; i++) {
                        f++;
                        index.append(f, pageOf[f]);
                    }
                    WalIndexHeader.of(f, false, 4096, f, f * 3 + 1, f, -f, 1, 2).write(shm);
                }
                done.set(true);
                for (Future<Integer> reader : readers) {
                    assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
        } finally {
            if (memory != null) {
                memory.close();
                locks.close();
            }
        }
    }
}
