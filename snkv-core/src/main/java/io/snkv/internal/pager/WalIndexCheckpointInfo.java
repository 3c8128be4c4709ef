package io.snkv.internal.pager;

import static io.snkv.internal.pager.WalIndexFormat.N_BACKFILL;
import static io.snkv.internal.pager.WalIndexFormat.N_BACKFILL_ATTEMPTED;
import static io.snkv.internal.pager.WalIndexFormat.N_READERS;
import static io.snkv.internal.pager.WalIndexFormat.READMARK_NOT_USED;

import java.io.IOException;

/**
 * The checkpoint information after the two header copies (SQLite's WalCkptInfo, bytes 96..135 of the
 * {@code -shm}): nBackfill, the five read marks and nBackfillAttempted. Each field is one atomic 32-bit
 * access; who may change which field is the WAL lock protocol's rule (nBackfill: the checkpointer or a
 * writer resetting the log; aReadMark[i]: the holder of READ(i) exclusively). The lock bytes at
 * 120..127 are never touched here. Thread-safe.
 */
final class WalIndexCheckpointInfo {
    private final ShmAccess shm;

    /** Maps region 0 if needed. */
    WalIndexCheckpointInfo(ShmAccess shm) throws IOException {
        this.shm = shm;
        shm.ensureRegions(1);
    }

    /** Frames already copied into the database file. */
    int nBackfill() {
        return shm.getInt(N_BACKFILL);
    }

    void setNBackfill(int frames) {
        shm.putInt(N_BACKFILL, frames);
    }

    /** The nBackfill a running (or crashed) checkpoint set out to reach. */
    int nBackfillAttempted() {
        return shm.getInt(N_BACKFILL_ATTEMPTED);
    }

    void setNBackfillAttempted(int frames) {
        shm.putInt(N_BACKFILL_ATTEMPTED, frames);
    }

    /** Read mark {@code i} (0..4); {@link WalIndexFormat#READMARK_NOT_USED} when free. */
    int readMark(int i) {
        return shm.getInt(WalIndexFormat.readMarkOffset(checkReader(i)));
    }

    void setReadMark(int i, int mxFrame) {
        shm.putInt(WalIndexFormat.readMarkOffset(checkReader(i)), mxFrame);
    }

    private static int checkReader(int i) {
        if (i < 0 || i >= N_READERS) {
            throw new IllegalArgumentException("read mark " + i);
        }
        return i;
    }

    /**
     * The state recovery leaves (as SQLite's walIndexRecover): nothing backfilled, nBackfillAttempted =
     * mxFrame, mark 0 = 0, mark 1 = mxFrame (or unused for an empty log), marks 2..4 unused. SQLite
     * sets mark {@code i} only if it gets READ(i) exclusively; the caller holds those locks.
     */
    void resetAfterRecovery(int mxFrame) {
        setNBackfill(0);
        setNBackfillAttempted(mxFrame);
        setReadMark(0, 0);
        setReadMark(1, mxFrame != 0 ? mxFrame : READMARK_NOT_USED);
        for (int i = 2; i < N_READERS; i++) {
            setReadMark(i, READMARK_NOT_USED);
        }
    }

    /**
     * The state after the log restarts from frame 1 (SQLite's walRestartHdr, after the new header is
     * written): nothing backfilled or attempted, mark 1 = 0, marks 2..4 unused; mark 0 stays 0.
     */
    void resetAfterRestart() {
        setNBackfill(0);
        setNBackfillAttempted(0);
        setReadMark(1, 0);
        for (int i = 2; i < N_READERS; i++) {
            setReadMark(i, READMARK_NOT_USED);
        }
    }
}
