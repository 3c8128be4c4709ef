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

    StorageFile file() {
        return file;
    }

    int mxFrame() {
        return mxFrame;
    }

    /** An empty log for a database of {@code pageSize}-byte pages; the header is written with the first frame. */
    static WalFile fresh(StorageFile file, int pageSize) {
        WalFile w = new WalFile(file, pageSize);
        w.salt1 = RANDOM.nextInt();
        w.restartFields(0);
        return w;
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

    static int randomSalt() {
        return RANDOM.nextInt();
    }

    /**
     * Follows the shared wal-index header, which other connections may have moved: the end of the log,
     * the checksum chain, the salts. An empty log gets its file header (with these salts) written
     * with its first frame.
     */
    void adopt(WalIndexHeader h) {
        if (h == null) {
            return;
        }
        mxFrame = h.mxFrame();
        salt1 = h.salt1();
        salt2 = h.salt2();
        bigEndian = h.bigEndianChecksum();
        if (mxFrame > 0) {
            ck0 = h.frameChecksum0();
            ck1 = h.frameChecksum1();
            headerWritten = true;
        } else {
            headerWritten = false;
            checkpointSeq++;
        }
    }

    int salt1() {
        return salt1;
    }

    int salt2() {
        return salt2;
    }

    boolean bigEndian() {
        return bigEndian;
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
