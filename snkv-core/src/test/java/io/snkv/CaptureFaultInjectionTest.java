package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.FaultInjectingStorage.Counted;
import io.snkv.FaultInjectingStorage.Persistence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fails each file write, rename, delete and fsync of a capturing workload in turn (the database's and
 * the log's); afterwards, reopened on a sound disk, the log and the database must agree
 * ({@link CaptureLogCheck}) and every transaction reported committed must be there.
 */
class CaptureFaultInjectionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"WAL, FULL", "WAL, NORMAL", "DELETE, FULL"})
    void everyFailedCallLeavesLogAndDatabaseInAgreement(JournalMode mode, SyncLevel sync) throws IOException {
        FaultInjectingStorage counter = new FaultInjectingStorage(Counted.WRITES_AND_SYNCS, Persistence.ONCE, 0);
        run(dir.resolve("count"), mode, sync, counter);
        long calls = counter.calls();
        assertThat(calls).isGreaterThan(20);
        int failures = 0;
        for (long at = 1; at <= calls; at++) {
            Path run = dir.resolve("run" + at);
            FaultInjectingStorage storage = new FaultInjectingStorage(Counted.WRITES_AND_SYNCS, Persistence.ONCE, at);
            TreeMap<byte[], byte[]> acknowledged = run(run, mode, sync, storage);
            String where = mode + "/" + sync + " failing call " + at + " (" + storage.fault() + ")";
            failures += storage.fault() != null ? 1 : 0;
            // Reopened with the default page size: a first commit that failed must not leave a 1024-byte file behind.
            KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).syncLevel(sync).build();
            try {
                CaptureLogCheck.verify(run.resolve("f.db"), run.resolve("data"), cfg, run.resolve("scratch"), where);
            } catch (KVException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
            try (KVStore s = KVStore.open(run.resolve("f.db"), cfg)) {
                for (var e : acknowledged.entrySet()) {
                    assertThat(s.get(e.getKey())).as(where + ": acknowledged " + new String(e.getKey(), StandardCharsets.UTF_8))
                            .hasValueSatisfying(v -> assertThat(v).isEqualTo(e.getValue()));
                }
            }
        }
        assertThat(failures).as("faults injected").isEqualTo((int) calls);
    }

    /** The workload; returns what it saw committed (a failing step and everything after it are skipped). */
    private static TreeMap<byte[], byte[]> run(Path runDir, JournalMode mode, SyncLevel sync, FaultInjectingStorage storage)
            throws IOException {
        Files.createDirectories(runDir);
        TreeMap<byte[], byte[]> acknowledged = new TreeMap<>(Arrays::compareUnsigned);
        KVStoreConfig cfg = KVStoreConfig.builder().journalMode(mode).syncLevel(sync).pageSize(1024)
                .changeCapture(runDir.resolve("data")).captureRetention(java.time.Duration.ZERO).storage(storage).build();
        KVStore s;
        try {
            s = KVStore.open(runDir.resolve("f.db"), cfg);
        } catch (KVException e) {
            return acknowledged;
        }
        try {
            for (int t = 0; t < 6; t++) {
                TreeMap<byte[], byte[]> txn = new TreeMap<>(Arrays::compareUnsigned);
                s.begin(true);
                for (int i = 0; i < 3; i++) {
                    byte[] k = ("k" + t + "-" + i).getBytes(StandardCharsets.UTF_8);
                    byte[] v = new byte[t == 3 && i == 0 ? 5000 : 20 + t];
                    Arrays.fill(v, (byte) (t * 7 + i));
                    s.put(k, v);
                    txn.put(k, v);
                }
                s.commit();
                acknowledged.putAll(txn);
                if (t == 2) {
                    s.checkpoint(CheckpointMode.TRUNCATE);
                }
            }
        } catch (KVException e) {
            if (s.inTransaction()) {
                try {
                    s.rollback();
                } catch (KVException ignored) {
                    // the store already failed
                }
            }
        } finally {
            try {
                s.close();
            } catch (KVException ignored) {
                // tolerated: the check reopens on a sound disk
            }
        }
        return acknowledged;
    }
}
