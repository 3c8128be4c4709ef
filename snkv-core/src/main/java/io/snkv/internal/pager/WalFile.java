package io.snkv.internal.pager;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * The {@code <db>-wal} file, in SQLite's WAL format ("WAL-mode File Format"):
 * <pre>
 * header, 32 bytes, big-endian:
 *   0  magic 0x377f0682 (checksums over little-endian words) or 0x377f0683 (big-endian words)
 *   4  format version 3007000
 *   8  page size
 *  12  checkpoint sequence number
 *  16  salt-1, incremented at every restart of the log
 *  20  salt-2, random at every restart
 *  24  checksum-1, checksum-2 of bytes 0..23
 * frame = 24-byte header + one page:
 *   0  page number
 *   4  database size in pages after the commit, on a transaction's last frame; else 0
 *   8  salt-1, salt-2 copied from the header
 *  16  checksum-1, checksum-2: cumulative over the header's checksum, this frame header's first 8
 *      bytes and the page
 * </pre>
 * A frame is valid when its salts match and its cumulative checksum is right; readers use frames up
 * to the last valid commit frame and ignore the rest (a torn tail).
 *
 * <p>Not thread-safe: the pager calls it under its writer lock, except {@link #readFrame}, which only
 * does a positional read.
 */
final class WalFile {
    static final int HEADER_SIZE = 32;
    static final int FRAME_HEADER_SIZE = 24;
    static final int MAGIC_LE = 0x377f0682;
    static final int MAGIC_BE = 0x377f0683;
    static final int VERSION = 3007000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StorageFile file;
    private final int pageSize;
    private final int frameSize;
    private boolean bigEndian;
    private int checkpointSeq;
    private int salt1;
    private int salt2;
    /** Cumulative checksum after the last committed frame (or the header). */
    private int ck0;
    private int ck1;
    /** Frames in the log that belong to committed transactions. */
    private int mxFrame;
    /** Whether the header in the file matches the fields above (false until the first frame after a restart). */
    private boolean headerWritten;

    private WalFile(StorageFile file, int pageSize) {
        this.file = file;
        this.pageSize = pageSize;
        this.frameSize = FRAME_HEADER_SIZE + pageSize;
    }

    /** Result of reading an existing log. */
    record Recovered(WalFile wal, int dbSize) {
    }

    StorageFile file() {
        return file;
    }

    int pageSizeOf() {
        return pageSize;
    }

    int mxFrame() {
        return mxFrame;
    }

    /**
     * Reads the log and indexes every frame of every committed transaction. A missing, short or
     * foreign header, or a page size that differs from the database's, means an empty log.
     *
     * @param pageSize the database's page size, or 0 when the database file is empty (the log's wins)
     */
    static Recovered recover(StorageFile file, int pageSize, WalIndex index) throws IOException {
        long size = file.size();
        byte[] hdr = new byte[HEADER_SIZE];
        if (size >= HEADER_SIZE && file.read(0, hdr, 0, HEADER_SIZE) == HEADER_SIZE) {
            int magic = u32(hdr, 0);
            int ps = u32(hdr, 8);
            boolean psOk = ps >= 512 && ps <= 65536 && Integer.bitCount(ps) == 1 && (pageSize == 0 || ps == pageSize);
            if ((magic == MAGIC_LE || magic == MAGIC_BE) && u32(hdr, 4) == VERSION && psOk) {
                WalChecksum ck = new WalChecksum(magic == MAGIC_BE, 0, 0);
                ck.update(hdr, 0, 24);
                if (ck.s0 == u32(hdr, 24) && ck.s1 == u32(hdr, 28)) {
                    WalFile w = new WalFile(file, ps);
                    w.bigEndian = magic == MAGIC_BE;
                    w.checkpointSeq = u32(hdr, 12);
                    w.salt1 = u32(hdr, 16);
                    w.salt2 = u32(hdr, 20);
                    w.ck0 = ck.s0;
                    w.ck1 = ck.s1;
                    w.headerWritten = true;
                    int dbSize = w.scanFrames(size, ck, index);
                    return new Recovered(w, dbSize);
                }
            }
        }
        return new Recovered(null, 0);
    }

    /** An empty log for a database of {@code pageSize}-byte pages; the header is written with the first frame. */
    static WalFile fresh(StorageFile file, int pageSize) {
        WalFile w = new WalFile(file, pageSize);
        w.salt1 = RANDOM.nextInt();
        w.restartFields(0);
        return w;
    }

    /** Walks frames from the first, keeping those up to the last valid commit frame. */
    private int scanFrames(long size, WalChecksum ck, WalIndex index) throws IOException {
        long maxFrames = (size - HEADER_SIZE) / frameSize;
        int chunkFrames = Math.max(1, (1 << 20) / frameSize);
        byte[] buf = new byte[chunkFrames * frameSize];
        int dbSize = 0;
        int committed = 0;
        int c0 = ck.s0;
        int c1 = ck.s1;
        int[] pending = new int[64];
        int nPending = 0;
        outer:
        for (long f = 0; f < maxFrames; f += chunkFrames) {
            int n = (int) Math.min(chunkFrames, maxFrames - f);
            int got = file.read(HEADER_SIZE + f * frameSize, buf, 0, n * frameSize);
            n = Math.min(n, got / frameSize);
            for (int i = 0; i < n; i++) {
                int off = i * frameSize;
                int pgno = u32(buf, off);
                int commit = u32(buf, off + 4);
                if (pgno <= 0 || u32(buf, off + 8) != salt1 || u32(buf, off + 12) != salt2) {
                    break outer;
                }
                ck.update(buf, off, 8);
                ck.update(buf, off + FRAME_HEADER_SIZE, pageSize);
                if (ck.s0 != u32(buf, off + 16) || ck.s1 != u32(buf, off + 20)) {
                    break outer;
                }
                if (nPending == pending.length) {
                    pending = java.util.Arrays.copyOf(pending, nPending * 2);
                }
                pending[nPending++] = pgno;
                if (commit != 0) {
                    int first = committed + 1;
                    for (int k = 0; k < nPending; k++) {
                        index.append(first + k, pending[k]);
                    }
                    committed += nPending;
                    nPending = 0;
                    dbSize = commit;
                    c0 = ck.s0;
                    c1 = ck.s1;
                }
            }
            if (n < chunkFrames) {
                break;
            }
        }
        mxFrame = committed;
        ck0 = c0;
        ck1 = c1;
        return dbSize;
    }

    /** New salts and sequence for a log that restarts at frame 1; the header is written with the next frame. */
    private void restartFields(int seq) {
        bigEndian = false;
        checkpointSeq = seq;
        salt1 = salt1 + 1;
        salt2 = RANDOM.nextInt();
        mxFrame = 0;
        headerWritten = false;
    }

    /** Starts the log over from frame 1 (after a complete checkpoint). */
    void restart() {
        restartFields(checkpointSeq + 1);
    }

    /**
     * Appends one transaction's pages; the last frame carries {@code dbSize} and commits them.
     *
     * @param pgnos pages in the order to write them
     * @param syncHeader fsync a newly written header (SQLite does at NORMAL and FULL)
     * @return the frame number of the first appended frame
     */
    int appendTransaction(int[] pgnos, byte[][] pages, int count, int dbSize, boolean sync, boolean syncHeader) throws IOException {
        if (!headerWritten) {
            writeHeader();
            if (syncHeader) {
                file.sync();
            }
        }
        byte[] buf = new byte[count * frameSize];
        WalChecksum ck = new WalChecksum(bigEndian, ck0, ck1);
        for (int i = 0; i < count; i++) {
            int off = i * frameSize;
            put32(buf, off, pgnos[i]);
            put32(buf, off + 4, i == count - 1 ? dbSize : 0);
            put32(buf, off + 8, salt1);
            put32(buf, off + 12, salt2);
            System.arraycopy(pages[i], 0, buf, off + FRAME_HEADER_SIZE, pageSize);
            ck.update(buf, off, 8);
            ck.update(buf, off + FRAME_HEADER_SIZE, pageSize);
            put32(buf, off + 16, ck.s0);
            put32(buf, off + 20, ck.s1);
        }
        int first = mxFrame + 1;
        file.write(HEADER_SIZE + (long) mxFrame * frameSize, buf, 0, buf.length);
        if (sync) {
            file.sync();
        }
        mxFrame += count;
        ck0 = ck.s0;
        ck1 = ck.s1;
        return first;
    }

    /**
     * Forgets the frames of a transaction whose write failed, and cuts them off the file.
     *
     * @return false when the file could not be cut: the frames may still count after a restart
     */
    boolean undoAppend(int previousMxFrame, int prevCk0, int prevCk1) {
        mxFrame = previousMxFrame;
        ck0 = prevCk0;
        ck1 = prevCk1;
        if (previousMxFrame == 0) {
            headerWritten = false; // rewrite the header (same salts) with the next transaction
        }
        try {
            file.truncate(HEADER_SIZE + (long) previousMxFrame * frameSize);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean headerWritten() {
        return headerWritten;
    }

    int checksum0() {
        return ck0;
    }

    int checksum1() {
        return ck1;
    }

    private void writeHeader() throws IOException {
        byte[] h = new byte[HEADER_SIZE];
        put32(h, 0, bigEndian ? MAGIC_BE : MAGIC_LE);
        put32(h, 4, VERSION);
        put32(h, 8, pageSize);
        put32(h, 12, checkpointSeq);
        put32(h, 16, salt1);
        put32(h, 20, salt2);
        WalChecksum ck = new WalChecksum(bigEndian, 0, 0);
        ck.update(h, 0, 24);
        put32(h, 24, ck.s0);
        put32(h, 28, ck.s1);
        file.write(0, h, 0, HEADER_SIZE);
        ck0 = ck.s0;
        ck1 = ck.s1;
        headerWritten = true;
    }

    /** Reads frame {@code frame}'s page into {@code dest}. */
    void readFrame(int frame, byte[] dest, java.nio.file.Path walPath) throws IOException {
        long off = HEADER_SIZE + (long) (frame - 1) * frameSize + FRAME_HEADER_SIZE;
        if (file.read(off, dest, 0, pageSize) != pageSize) {
            throw new CorruptDatabaseException(walPath, 0, "WAL frame " + frame + " is missing (file truncated)");
        }
    }

    void sync() throws IOException {
        file.sync();
    }

    void truncate(long size) throws IOException {
        file.truncate(size);
    }

    static int u32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
