package io.snkv.bench;

import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The untimed check at the end of each scenario: every replica reaches the primary's position of each database,
 * then holds the same entries, read back through read-only stores on both files and compared in key order.
 */
final class ReplicaComparison {

    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);
    private static final KVStoreConfig READ_ONLY = KVStoreConfig.builder().readOnly(true).build();

    /**
     * What one check found.
     *
     * @param entries     entries of the primary's databases, summed
     * @param bytes       their key and value bytes, summed
     * @param differences one line per replica database that is not the primary's; empty when all are equal
     */
    record Result(int databases, int replicas, long entries, long bytes, List<String> differences) {
        boolean equal() {
            return differences.isEmpty();
        }
    }

    private ReplicaComparison() {
    }

    static Result compare(LocalCluster cluster, List<String> databases) throws InterruptedException {
        List<String> differences = new ArrayList<>();
        long entries = 0;
        long bytes = 0;
        for (String database : databases) {
            LtxPosition want = cluster.primary().position(database);
            for (int i = 0; i < cluster.replicas().size(); i++) {
                String where = database + " on replica " + (i + 1);
                try {
                    cluster.applyTimes(i).awaitApplied(database, want.txid(), CATCH_UP_TIMEOUT);
                } catch (TimeoutException e) {
                    differences.add(where + ": " + e.getMessage());
                    continue;
                }
                LtxPosition got = cluster.replicas().get(i).position(database);
                if (!got.equals(want)) {
                    differences.add(where + " is at " + got + ", the primary at " + want);
                    continue;
                }
                compareEntries(cluster.primaryFile(database), cluster.replicaFile(i, database), where, differences);
            }
            try (KVStore p = KVStore.open(cluster.primaryFile(database), READ_ONLY); KVIterator it = p.iterator()) {
                for (boolean ok = it.first(); ok; ok = it.next()) {
                    entries++;
                    bytes += it.key().length + it.value().length;
                }
            }
        }
        return new Result(databases.size(), cluster.replicas().size(), entries, bytes, List.copyOf(differences));
    }

    /** Walks both stores in key order and notes the first difference, if any. */
    private static void compareEntries(Path primary, Path replica, String where, List<String> differences) {
        try (KVStore p = KVStore.open(primary, READ_ONLY);
             KVStore r = KVStore.open(replica, READ_ONLY);
             KVIterator a = p.iterator();
             KVIterator b = r.iterator()) {
            long n = 0;
            boolean hasA = a.first();
            boolean hasB = b.first();
            while (hasA && hasB) {
                if (!Arrays.equals(a.key(), b.key()) || !Arrays.equals(a.value(), b.value())) {
                    differences.add(where + ": entry " + n + " in key order differs");
                    return;
                }
                n++;
                hasA = a.next();
                hasB = b.next();
            }
            if (hasA || hasB) {
                differences.add(where + ": " + (hasA ? "the replica" : "the primary") + " ends after " + n
                        + " entries, the other does not");
            }
        }
    }
}
