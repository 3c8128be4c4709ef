package io.snkv.bench;

import io.snkv.JournalMode;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.SyncLevel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The database every process of a {@link MultiProcessBench} scenario opens: its settings, its fixed key set, how
 * the parent fills it before the children start and checks it after they have exited. The writer only overwrites
 * existing keys, so the count stays {@link #KEYS} throughout.
 */
final class MultiProcessDatabase {

    static final int KEYS = 10_000;
    static final int VALUE_SIZE = 100;
    static final int GETS_PER_READ = 10;
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);
    static final String FILE_NAME = "mp.db";

    private MultiProcessDatabase() {
    }

    /** Spelled out (rather than left to the defaults) so a change of default cannot change what is measured. */
    static KVStoreConfig config(JournalMode mode, int walSizeLimit) {
        return KVStoreConfig.builder()
                .journalMode(mode)
                .syncLevel(SyncLevel.NORMAL)
                .cacheSize(2000)
                .pageSize(4096)
                .busyTimeout(BUSY_TIMEOUT)
                .walSizeLimit(walSizeLimit)
                .build();
    }

    /** Key {@code i} of the fixed set: {@code mp-00000} .. {@code mp-09999}, all the same length. */
    static byte[][] keys() {
        byte[][] keys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format("mp-%05d", i).getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }

    static byte[] randomValue(SplittableRandom random) {
        byte[] value = new byte[VALUE_SIZE];
        for (int i = 0; i < VALUE_SIZE; i++) {
            value[i] = (byte) ('a' + random.nextInt(26));
        }
        return value;
    }

    /** Creates the database with every key, in one transaction, and closes it (which checkpoints a WAL). */
    static void populate(Path db, JournalMode mode, int walSizeLimit) {
        SplittableRandom random = new SplittableRandom(42);
        try (KVStore store = KVStore.open(db, config(mode, walSizeLimit))) {
            store.begin(true);
            for (byte[] key : keys()) {
                store.put(key, randomValue(random));
            }
            store.commit();
            System.err.println("mp settings (read back): " + store.config());
        }
    }

    /** What is wrong with the database once every child has exited: empty when sound and complete. */
    static List<String> verify(Path db, JournalMode mode, int walSizeLimit) {
        List<String> problems = new ArrayList<>();
        try (KVStore store = KVStore.open(db, config(mode, walSizeLimit))) {
            long count = store.count();
            if (count != KEYS) {
                problems.add("count is " + count + ", expected " + KEYS);
            }
            for (String problem : store.integrityCheck()) {
                problems.add("integrity: " + problem);
            }
            byte[][] keys = keys();
            for (byte[] key : new byte[][] {keys[0], keys[KEYS / 2], keys[KEYS - 1]}) {
                Optional<byte[]> value = store.get(key);
                if (value.isEmpty() || value.get().length != VALUE_SIZE) {
                    problems.add("key " + new String(key, StandardCharsets.US_ASCII) + " has no " + VALUE_SIZE
                            + "-byte value");
                }
            }
        } catch (RuntimeException e) {
            problems.add("verification failed: " + e);
        }
        return problems;
    }
}
