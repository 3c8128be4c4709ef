package io.snkv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * A child JVM that commits random transactions to a store with change capture on, printing
 * {@code COMMITTED <txid>} after each commit (the TXID its commit got), {@code NOOP <txid>} after a
 * transaction that changed nothing, and {@code DONE <n>} at
 * the end. Arguments: db, data dir, journal mode, sync level, page size, seed, max commits, max seconds,
 * key prefix, pause (max milliseconds between transactions, 0 for none).
 */
public final class CaptureWriterMain {
    private CaptureWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path data = Path.of(args[1]);
        JournalMode mode = JournalMode.valueOf(args[2]);
        SyncLevel sync = SyncLevel.valueOf(args[3]);
        int pageSize = Integer.parseInt(args[4]);
        Random rnd = new Random(Long.parseLong(args[5]));
        int maxCommits = Integer.parseInt(args[6]);
        long deadline = System.nanoTime() + Long.parseLong(args[7]) * 1_000_000_000L;
        String prefix = args[8];
        int pause = Integer.parseInt(args[9]);
        KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).syncLevel(sync).pageSize(pageSize)
                .busyTimeout(Duration.ofSeconds(20)).changeCapture(data).captureRetention(Duration.ZERO)
                .walSizeLimit(1 + rnd.nextInt(20)).build();
        int commits = 0;
        try (KVStore s = KVStore.open(db, cfg)) {
            System.out.println("OPEN " + s.capturePosition().orElseThrow());
            while (commits < maxCommits && System.nanoTime() < deadline) {
                s.begin(true);
                long before = s.capturePosition().orElseThrow().txid(); // the write lock is ours: current
                int ops = 1 + rnd.nextInt(12);
                for (int i = 0; i < ops; i++) {
                    byte[] key = (prefix + rnd.nextInt(3000)).getBytes(StandardCharsets.US_ASCII);
                    if (rnd.nextInt(4) == 0) {
                        s.delete(key);
                    } else {
                        int len = rnd.nextInt(10) == 0 ? rnd.nextInt(3 * pageSize) : rnd.nextInt(200);
                        byte[] v = new byte[len];
                        rnd.nextBytes(v);
                        s.put(key, v);
                    }
                }
                s.commit();
                commits++;
                long after = s.capturePosition().orElseThrow().txid();
                // A transaction that changed nothing commits nothing and logs nothing.
                System.out.println(after == before ? "NOOP " + after : "COMMITTED " + after);
                if (pause > 0) {
                    Thread.sleep(rnd.nextInt(pause + 1));
                }
            }
        }
        System.out.println("DONE " + commits);
        System.out.flush();
    }
}
