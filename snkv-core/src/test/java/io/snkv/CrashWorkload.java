package io.snkv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The transactions {@link CrashWriterMain} commits, derived only from the transaction number so that the
 * parent test can recompute the exact store content after any number of them.
 *
 * <p>Transaction {@code n} (from 1) sets {@code txn-counter} to {@code n} (8 bytes, big-endian), writes two
 * of 97 {@code slot-} keys with values from empty to 40 KB (about a third spill to overflow pages), appends
 * {@code log-n} and deletes {@code log-(n-5)}, deletes a slot every third transaction, rewrites one of five
 * {@code big-} values (20..150 KB) every tenth, and one of four 1.5 KB {@code wide-} keys (overflowing keys)
 * every seventh.
 */
final class CrashWorkload {
    static final byte[] COUNTER_KEY = "txn-counter".getBytes(StandardCharsets.US_ASCII);

    /** A value as a recipe: {@link #bytes()} makes it. The first bytes are the transaction number. */
    record Value(long txn, int salt, int size) {
        byte[] bytes() {
            byte[] b = new byte[size];
            for (int i = 0; i < Math.min(8, size); i++) {
                b[i] = (byte) (txn >>> (56 - 8 * i));
            }
            SplittableRandom r = new SplittableRandom(txn * 1_000_003L + salt);
            for (int i = 8; i < size; i += 8) {
                long x = r.nextLong();
                for (int j = 0; j < 8 && i + j < size; j++) {
                    b[i + j] = (byte) (x >>> (8 * j));
                }
            }
            return b;
        }
    }

    /** One change of a transaction: a put ({@code value != null}) or a delete. */
    record Change(byte[] key, Value value) {
    }

    private CrashWorkload() {
    }

    /** The changes of transaction {@code n}, in the order they are made. */
    static List<Change> changes(long n) {
        List<Change> c = new ArrayList<>();
        c.add(new Change(COUNTER_KEY, new Value(n, 0, 8)));
        c.add(new Change(ascii("slot-" + (n % 97)), new Value(n, 1, valueSize(n, 1))));
        c.add(new Change(ascii("slot-" + ((n * 31 + 7) % 97)), new Value(n, 2, valueSize(n, 2))));
        c.add(new Change(ascii("log-" + n), new Value(n, 3, 16)));
        if (n > 5) {
            c.add(new Change(ascii("log-" + (n - 5)), null));
        }
        if (n % 3 == 0) {
            c.add(new Change(ascii("slot-" + ((n * 13) % 97)), null));
        }
        if (n % 10 == 0) {
            c.add(new Change(ascii("big-" + (n / 10) % 5), new Value(n, 4, 20_000 + (int) (mix(n, 4) % 130_000))));
        }
        if (n % 7 == 0) {
            byte[] wide = new byte[1500];
            Arrays.fill(wide, (byte) 'w');
            wide[wide.length - 1] = (byte) (n / 7 % 4);
            c.add(new Change(wide, new Value(n, 5, (int) (mix(n, 5) % 300))));
        }
        return c;
    }

    /** Commits transaction {@code n} on {@code store} as one explicit write transaction. */
    static void commit(KVStore store, long n) {
        store.begin(true);
        boolean done = false;
        try {
            for (Change ch : changes(n)) {
                if (ch.value() == null) {
                    store.delete(ch.key());
                } else {
                    store.put(ch.key(), ch.value().bytes());
                }
            }
            store.commit();
            done = true;
        } finally {
            if (!done && store.inTransaction()) {
                store.rollback();
            }
        }
    }

    /** The counter a store holds: the number of the last transaction it contains (0 when none). */
    static long counterOf(KVStore store) {
        Optional<byte[]> v = store.get(COUNTER_KEY);
        if (v.isEmpty()) {
            return 0;
        }
        byte[] b = v.get();
        if (b.length != 8) {
            throw new AssertionError("txn-counter holds " + b.length + " bytes, expected 8");
        }
        long n = 0;
        for (byte x : b) {
            n = (n << 8) | (x & 0xFF);
        }
        return n;
    }

    /** The expected content after a number of transactions; advances forward only (cheap to keep). */
    static final class Model {
        private final TreeMap<byte[], Value> entries = new TreeMap<>(UnsignedBytesOrder.INSTANCE);
        private long applied;

        long applied() {
            return applied;
        }

        void advanceTo(long k) {
            if (k < applied) {
                throw new IllegalArgumentException("model is at " + applied + ", cannot go back to " + k);
            }
            while (applied < k) {
                applied++;
                for (Change ch : changes(applied)) {
                    if (ch.value() == null) {
                        entries.remove(ch.key());
                    } else {
                        entries.put(ch.key(), ch.value());
                    }
                }
            }
        }

        NavigableMap<byte[], byte[]> materialize() {
            NavigableMap<byte[], byte[]> m = new TreeMap<>(UnsignedBytesOrder.INSTANCE);
            for (Map.Entry<byte[], Value> e : entries.entrySet()) {
                m.put(e.getKey(), e.getValue().bytes());
            }
            return m;
        }
    }

    private static int valueSize(long n, int salt) {
        long h = mix(n, salt);
        int cls = (int) (h % 10);
        long r = h / 10;
        if (cls < 3) {
            return (int) (r % 21);
        } else if (cls < 6) {
            return 100 + (int) (r % 500);
        } else if (cls < 9) {
            return 1000 + (int) (r % 4000);
        }
        return 8000 + (int) (r % 32_000);
    }

    private static long mix(long n, int salt) {
        long z = n * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
