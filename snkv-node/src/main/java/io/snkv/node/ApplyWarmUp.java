package io.snkv.node;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import io.snkv.SyncLevel;
import io.snkv.ltx.LtxFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the replica's apply path (LTX decode, LZ4, CRC-64, the engine's write transaction) on throwaway
 * stores before a node reports ready. A fresh JVM interprets that code at first: the first megabyte-sized
 * files a new replica receives took 10 to 30 times longer to apply than later ones, so a replica started just
 * before a burst of writes trailed it by hundreds of milliseconds. A second or so of work at start, bounded by
 * time, moves that cost out of the replication path. Nothing of it stays on disk.
 */
final class ApplyWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyWarmUp.class);
    private static final int VALUE_BYTES = 256 * 1024;

    private ApplyWarmUp() {
    }

    /**
     * Commits values into one store with change capture and applies each captured file to a second store,
     * until {@code rounds} commits or {@code budgetMillis} have passed.
     *
     * @return how many commits were captured and applied
     */
    static int run(Path tmpDir, int rounds, long budgetMillis) {
        long start = System.nanoTime();
        long deadline = start + budgetMillis * 1_000_000L;
        Path dir = null;
        int done = 0;
        try {
            dir = Files.createTempDirectory(tmpDir, "warm-up-");
            KVStoreConfig base = KVStoreConfig.builder().syncLevel(SyncLevel.OFF).build();
            Path sourceLog = dir.resolve("source-log");
            try (KVStore source = KVStore.open(dir.resolve("source.db"), base.toBuilder().changeCapture(sourceLog).build());
                    KVStore target = KVStore.open(dir.resolve("target.db"), base.toBuilder().changeCapture(dir.resolve("target-log")).build())) {
                Path ltx = sourceLog.resolve("dbs").resolve("source.db").resolve("ltx");
                SplittableRandom rnd = new SplittableRandom(42);
                byte[] value = new byte[VALUE_BYTES];
                for (; done < rounds && System.nanoTime() < deadline; done++) {
                    fill(value, rnd);
                    source.put(("warm-up-" + (done % 8)).getBytes(java.nio.charset.StandardCharsets.US_ASCII), value);
                    LtxPosition p = source.capturePosition().orElseThrow();
                    target.applyLtx(ltx.resolve(LtxFileName.format(p.txid(), p.txid()))); // one commit, one file
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("apply warm-up stopped early: {}", e.toString()); // only speed is at stake
        } finally {
            deleteTree(dir);
        }
        LOG.debug("apply warm-up: {} commits in {} ms", done, (System.nanoTime() - start) / 1_000_000);
        return done;
    }

    /** Half repetitive, half random bytes: b-tree pages of real values compress about that well. */
    private static void fill(byte[] value, SplittableRandom rnd) {
        int half = value.length / 2;
        byte b = (byte) rnd.nextInt();
        for (int i = 0; i < half; i++) {
            value[i] = (byte) (b + (i >>> 6));
        }
        for (int i = half; i < value.length; i += 8) {
            long r = rnd.nextLong();
            for (int j = 0; j < 8 && i + j < value.length; j++) {
                value[i + j] = (byte) (r >>> (8 * j));
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            TreeDeletion.delete(dir);
        } catch (IOException e) {
            LOG.debug("could not remove the warm-up directory {}: {}", dir, e.toString());
        }
    }
}
