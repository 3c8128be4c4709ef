package io.snkv.internal.pager;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.util.Arrays;

/**
 * Rebuilds a wal-index from the {@code -wal} file, as SQLite's walIndexRecover does when a process
 * finds no valid wal-index header: zero the index blocks, enter every frame of every committed
 * transaction, write the header (mxFrame and nPage of the last commit, the cumulative checksum after
 * it, the WAL header's salts and checksum byte order) and reset the checkpoint information.
 *
 * <p>The WAL rules are SQLite's (and {@link WalFile}'s): a log whose header has a bad magic, page size
 * or checksum is empty; frames count while their salts match, their page number is non-zero and the
 * running checksum holds; only frames up to the last commit frame among them are used. Unlike
 * {@link WalFile#recover}, a correctly checksummed header with a version other than 3007000 is refused
 * (SQLite answers SQLITE_CANTOPEN) instead of read as an empty log, so that a log another program wrote
 * in a format we do not know is never silently ignored.
 *
 * <p>The caller holds what SQLite's recovery holds: the WAL write lock, and CKPT, RECOVER and
 * READ(1..4) exclusively, so no process reads or writes the index meanwhile.
 */
final class WalIndexRecovery {
    private WalIndexRecovery() {
    }

    /**
     * @param header the header now in the wal-index
     * @param checkpointSeq the WAL header's checkpoint sequence number (0 for an empty log)
     * @param validFrames frames that passed the checks, committed or not (&gt;= header.mxFrame())
     */
    record Result(WalIndexHeader header, int checkpointSeq, int validFrames) {
    }

    static Result recover(StorageFile wal, ShmAccess shm) throws IOException {
        shm.ensureRegions(1);
        WalIndexHashTable index = new WalIndexHashTable(shm);
        index.clear();

        boolean bigEndian = false;
        int pageSize = 0;
        int seq = 0;
        int salt1 = 0;
        int salt2 = 0;
        int mxFrame = 0;
        int nPage = 0;
        int ck0 = 0;
        int ck1 = 0;
        int valid = 0;

        long size = wal.size();
        byte[] hdr = new byte[WalFile.HEADER_SIZE];
        if (size > WalFile.HEADER_SIZE && wal.read(0, hdr, 0, hdr.length) == hdr.length) {
            int magic = WalFile.u32(hdr, 0);
            int ps = WalFile.u32(hdr, 8);
            boolean psOk = ps >= 512 && ps <= 65536 && Integer.bitCount(ps) == 1;
            WalChecksum ck = new WalChecksum((magic & 1) != 0, 0, 0);
            ck.update(hdr, 0, 24);
            if ((magic & ~1) == WalFile.MAGIC_LE && psOk
                    && ck.s0 == WalFile.u32(hdr, 24) && ck.s1 == WalFile.u32(hdr, 28)) {
                int version = WalFile.u32(hdr, 4);
                if (version != WalFile.VERSION) {
                    throw new CorruptDatabaseException(wal.path(), 0, "WAL format version " + version
                            + " is not " + WalFile.VERSION);
                }
                bigEndian = (magic & 1) != 0;
                seq = WalFile.u32(hdr, 12);
                salt1 = WalFile.u32(hdr, 16);
                salt2 = WalFile.u32(hdr, 20);
                Scan s = scan(wal, size, ps, salt1, salt2, ck, index);
                valid = s.valid;
                mxFrame = s.mxFrame;
                nPage = s.nPage;
                ck0 = s.ck0;
                ck1 = s.ck1;
                // SQLite records the page size with the first commit it recovers, and leaves 0 without one.
                pageSize = mxFrame > 0 ? ps : 0;
            }
        }
        WalIndexHeader h = WalIndexHeader.of(0, bigEndian, pageSize, mxFrame, nPage, ck0, ck1, salt1, salt2);
        h.write(shm);
        new WalIndexCheckpointInfo(shm).resetAfterRecovery(mxFrame);
        return new Result(h, seq, valid);
    }

    private record Scan(int valid, int mxFrame, int nPage, int ck0, int ck1) {
    }

    private static Scan scan(StorageFile wal, long size, int pageSize, int salt1, int salt2, WalChecksum ck,
                             WalIndexHashTable index) throws IOException {
        int frameSize = WalFile.FRAME_HEADER_SIZE + pageSize;
        long lastFrame = (size - WalFile.HEADER_SIZE) / frameSize;
        int chunkFrames = Math.max(1, (1 << 20) / frameSize);
        byte[] buf = new byte[chunkFrames * frameSize];
        int[] pending = new int[64];
        int nPending = 0;
        int frame = 0;
        int mxFrame = 0;
        int nPage = 0;
        int ck0 = 0;
        int ck1 = 0;
        outer:
        for (long first = 1; first <= lastFrame; first += chunkFrames) {
            int n = (int) Math.min(chunkFrames, lastFrame - first + 1);
            int got = wal.read(WalFile.HEADER_SIZE + (first - 1) * frameSize, buf, 0, n * frameSize);
            n = Math.min(n, got / frameSize);
            for (int i = 0; i < n; i++) {
                int off = i * frameSize;
                int pgno = WalFile.u32(buf, off);
                if (pgno == 0 || WalFile.u32(buf, off + 8) != salt1 || WalFile.u32(buf, off + 12) != salt2) {
                    break outer;
                }
                ck.update(buf, off, 8);
                ck.update(buf, off + WalFile.FRAME_HEADER_SIZE, pageSize);
                if (ck.s0 != WalFile.u32(buf, off + 16) || ck.s1 != WalFile.u32(buf, off + 20)) {
                    break outer;
                }
                frame++;
                if (nPending == pending.length) {
                    pending = Arrays.copyOf(pending, nPending * 2);
                }
                pending[nPending++] = pgno;
                int commit = WalFile.u32(buf, off + 4);
                if (commit != 0) {
                    for (int k = 0; k < nPending; k++) {
                        index.append(mxFrame + 1 + k, pending[k]);
                    }
                    nPending = 0;
                    mxFrame = frame;
                    nPage = commit;
                    ck0 = ck.s0;
                    ck1 = ck.s1;
                }
            }
            if (n < chunkFrames) {
                break;
            }
        }
        return new Scan(frame, mxFrame, nPage, ck0, ck1);
    }
}
