package io.snkv.node;

import io.snkv.KVStore;
import io.snkv.LtxPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support: an application committing to a primary's database, each transaction writing key {@code seq} =
 * its sequence number (1, 2, ...) beside puts and deletes of a few other keys, and remembering the contents after
 * each. A reader that sees {@code seq} = n in one read transaction must see exactly contents n. Values are text
 * naming their key and sequence number, so a damaged one is easy to find in a file. Thread-safe.
 */
final class SequencedWorkload {
    static final String SEQ = "seq";

    private final Path db;
    private final Random rnd;
    private final TreeMap<String, String> model = new TreeMap<>();
    private final Map<Long, TreeMap<String, String>> contents = new ConcurrentHashMap<>();
    private long seq;

    SequencedWorkload(Path db, Random rnd) {
        this.db = db;
        this.rnd = rnd;
        contents.put(0L, new TreeMap<>());
    }

    /** Commits {@code n} transactions; returns the position after the last. */
    synchronized LtxPosition commit(int n) {
        try (KVStore s = KVStore.open(db)) {
            for (int t = 0; t < n; t++) {
                seq++;
                s.begin(true);
                put(s, SEQ, Long.toString(seq));
                for (int i = 0; i < 1 + rnd.nextInt(6); i++) {
                    String k = "k" + rnd.nextInt(40);
                    if (rnd.nextInt(6) == 0) {
                        s.delete(k.getBytes(StandardCharsets.UTF_8));
                        model.remove(k);
                    } else {
                        put(s, k, "value of " + k + " at seq " + seq + " " + "x".repeat(rnd.nextInt(300)));
                    }
                }
                // Known before the commit: a replica may apply it before commit() returns here.
                contents.put(seq, new TreeMap<>(model));
                s.commit();
            }
            return s.capturePosition().orElseThrow();
        }
    }

    private void put(KVStore s, String k, String v) {
        s.put(k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8));
        model.put(k, v);
    }

    /** The contents after transaction {@code seq}, or null for a sequence number never committed. */
    TreeMap<String, String> contents(long seq) {
        return contents.get(seq);
    }

    /** The contents now. */
    synchronized TreeMap<String, String> current() {
        return new TreeMap<>(model);
    }
}
