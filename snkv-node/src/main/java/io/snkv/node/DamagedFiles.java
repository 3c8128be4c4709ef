package io.snkv.node;

import io.snkv.LtxPosition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replica's count of damaged files (REPLICATION.md 2.5): a file that fails decoding or a checksum is
 * fetched again, but the third failure at the same position gives up on the log and asks for a snapshot.
 * A file that applies clears its database's count. Thread-safe.
 */
final class DamagedFiles {
    static final int BEFORE_SNAPSHOT = 3;

    private record Where(LtxPosition position, int failures) {}

    private final Map<String, Where> byDatabase = new ConcurrentHashMap<>();

    /** Records a damaged file for {@code db} at {@code local}; true when it is the third there (count restarts). */
    boolean thirdAt(String db, LtxPosition local) {
        Where w = byDatabase.merge(db, new Where(local, 1),
                (old, one) -> old.position().equals(local) ? new Where(local, old.failures() + 1) : one);
        if (w.failures() >= BEFORE_SNAPSHOT) {
            byDatabase.remove(db);
            return true;
        }
        return false;
    }

    void applied(String db) {
        byDatabase.remove(db);
    }
}
