package io.snkv.bench;

import io.snkv.KVStore;
import java.util.SplittableRandom;

/**
 * The small transaction of the lag and commit-rate scenarios: one auto-committed put of a random 16-byte key
 * (so each lands on a random leaf, as an application's inserts would) holding a random value of a fixed size.
 * Key and value are drawn from one seeded generator, the same bytes every run. Not thread-safe.
 */
final class SmallTransactions {

    static final int KEY_BYTES = 16;

    private final SplittableRandom random;
    private final byte[] key = new byte[KEY_BYTES];
    private final byte[] value;

    SmallTransactions(int valueBytes, long seed) {
        this.random = new SplittableRandom(seed);
        this.value = new byte[valueBytes];
    }

    /** Commits one put and returns when the commit has returned. */
    void commitOne(KVStore store) {
        random.nextBytes(key);
        random.nextBytes(value);
        store.put(key, value);
    }
}
