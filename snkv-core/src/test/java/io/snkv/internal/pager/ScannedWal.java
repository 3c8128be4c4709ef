package io.snkv.internal.pager;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A WAL file read the slow, obvious way, as the oracle for wal-index tests: its header, its valid
 * frames with the cumulative checksum after each, and brute-force page lookups. Independent of the
 * engine's WAL code (its own checksum loop).
 */
final class ScannedWal {
    /** A valid frame; {@code commit} is the database size on a commit frame, else 0. */
    record Frame(int number, int pgno, int commit, int ck0, int ck1) {
    }

    final boolean headerValid;
    final boolean bigEndian;
    final int pageSize;
    final int checkpointSeq;
    final int salt1;
    final int salt2;
    /** Frames that pass the salt and checksum checks, committed or not, in order. */
    final List<Frame> frames = new ArrayList<>();

    private ScannedWal(byte[] wal) {
        ByteBuffer b = ByteBuffer.wrap(wal);
        boolean ok = wal.length >= 32;
        int magic = ok ? b.getInt(0) : 0;
        int ps = ok ? b.getInt(8) : 0;
        ok = ok && (magic == 0x377f0682 || magic == 0x377f0683) && ps >= 512 && ps <= 65536 && Integer.bitCount(ps) == 1;
        int[] ck = {0, 0};
        if (ok) {
            checksum(magic == 0x377f0683, ck, wal, 0, 24);
            ok = ck[0] == b.getInt(24) && ck[1] == b.getInt(28);
        }
        headerValid = ok;
        bigEndian = ok && magic == 0x377f0683;
        pageSize = ok ? ps : 0;
        checkpointSeq = ok ? b.getInt(12) : 0;
        salt1 = ok ? b.getInt(16) : 0;
        salt2 = ok ? b.getInt(20) : 0;
        if (!ok) {
            return;
        }
        int frameSize = 24 + ps;
        for (int n = 1; 32L + (long) n * frameSize <= wal.length; n++) {
            int off = 32 + (n - 1) * frameSize;
            int pgno = b.getInt(off);
            if (pgno == 0 || b.getInt(off + 8) != salt1 || b.getInt(off + 12) != salt2) {
                break;
            }
            checksum(bigEndian, ck, wal, off, 8);
            checksum(bigEndian, ck, wal, off + 24, ps);
            if (ck[0] != b.getInt(off + 16) || ck[1] != b.getInt(off + 20)) {
                break;
            }
            frames.add(new Frame(n, pgno, b.getInt(off + 4), ck[0], ck[1]));
        }
    }

    static ScannedWal parse(byte[] wal) {
        return new ScannedWal(wal);
    }

    /** SQLite's WAL checksum, written out longhand: s0 += x0 + s1; s1 += x1 + s0 over word pairs. */
    static void checksum(boolean bigEndianWords, int[] s, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i += 8) {
            s[0] += word(b, i, bigEndianWords) + s[1];
            s[1] += word(b, i + 4, bigEndianWords) + s[0];
        }
    }

    private static int word(byte[] b, int i, boolean be) {
        int x0 = b[i] & 0xff;
        int x1 = b[i + 1] & 0xff;
        int x2 = b[i + 2] & 0xff;
        int x3 = b[i + 3] & 0xff;
        return be ? (x0 << 24 | x1 << 16 | x2 << 8 | x3) : (x3 << 24 | x2 << 16 | x1 << 8 | x0);
    }

    List<Frame> commits() {
        return frames.stream().filter(f -> f.commit() != 0).toList();
    }

    /** The last commit frame, 0 if none. */
    int mxFrame() {
        List<Frame> c = commits();
        return c.isEmpty() ? 0 : c.get(c.size() - 1).number();
    }

    Frame frame(int number) {
        return frames.get(number - 1);
    }

    int maxPgno() {
        return frames.stream().mapToInt(Frame::pgno).max().orElse(0);
    }

    /** For each page, its newest frame in {@code minFrame..mxFrame}. */
    Map<Integer, Integer> latest(int mxFrame, int minFrame) {
        Map<Integer, Integer> m = new HashMap<>();
        for (Frame f : frames) {
            if (f.number() > mxFrame) {
                break;
            }
            if (f.number() >= minFrame) {
                m.put(f.pgno(), f.number());
            }
        }
        return m;
    }
}
