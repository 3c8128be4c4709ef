package io.snkv.internal.capture;

import io.snkv.LtxPosition;
import io.snkv.internal.pager.Pager;
import io.snkv.internal.pager.Snapshot;
import io.snkv.internal.pager.WriteTxn;
import io.snkv.ltx.LtxChecksums;

/**
 * A read transaction together with the change-log position of the state it sees, for copies of a live
 * database (snapshot files, raw images). The two are taken without holding up writers where possible: a
 * read transaction whose pages hash to the recorded position's checksum is that position (writers record it
 * right after committing), so a busy writer that would starve a lock waiter is not waited for. Only when that
 * keeps failing are the position and the read transaction taken together under a brief write lock, which is
 * then let go. Either way, in WAL mode writers go on committing while the caller copies pages. Close it.
 *
 * @param snapshot the read transaction
 * @param position the log's position of what {@code snapshot} sees; null without a log
 */
record PositionedRead(Snapshot snapshot, LtxPosition position) implements AutoCloseable {
    private static final int ATTEMPTS = 20;

    /** @param log the store's change log, or null: then the read transaction alone, position null */
    static PositionedRead begin(Pager pager, ChangeLog log) {
        if (log == null) {
            return new PositionedRead(pager.beginRead(), null);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Snapshot candidate = pager.beginRead();
            LtxPosition recorded = log.recordedPosition();
            if (recorded != null && recorded.txid() > 0 && checksum(candidate, pager.pageSize()) == recorded.checksum()) {
                return new PositionedRead(candidate, recorded);
            }
            candidate.close();
            pause(attempt);
        }
        WriteTxn w = pager.beginWrite();
        try {
            return new PositionedRead(pager.beginRead(), log.position());
        } finally {
            w.rollback();
        }
    }

    /** The database checksum of what {@code s} sees, every page hashed. */
    static long checksum(Snapshot s, int pageSize) {
        return DatabaseChecksum.of(s.pageCount(), pageSize, pg -> LtxChecksums.pageChecksum(pg, s.page(pg)));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(1 + attempt, 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        snapshot.close();
    }
}
