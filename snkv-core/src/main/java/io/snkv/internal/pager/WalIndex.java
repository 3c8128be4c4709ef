package io.snkv.internal.pager;

import java.util.Arrays;

/**
 * Which WAL frame holds which page: for each page its latest frame, and for each frame the previous
 * frame of the same page, so a reader whose snapshot ends at frame {@code mx} finds the newest copy at
 * or before {@code mx}. One instance per WAL generation (a reset starts a new one). Thread-safe.
 */
final class WalIndex {
    private final IntIntMap latest = new IntIntMap(1024);
    private int[] prev = new int[1024];
    private int[] pageOf = new int[1024];
    private int frames;

    synchronized int find(int pgno, int mx) {
        int f = latest.get(pgno);
        while (f > mx) {
            f = prev[f];
        }
        return f;
    }

    /** Records frame {@code frame} (numbered from 1, appended in order) as holding {@code pgno}. */
    synchronized void append(int frame, int pgno) {
        if (frame >= prev.length) {
            int n = Math.max(frame + 1, prev.length * 2);
            prev = Arrays.copyOf(prev, n);
            pageOf = Arrays.copyOf(pageOf, n);
        }
        prev[frame] = latest.get(pgno);
        pageOf[frame] = pgno;
        latest.put(pgno, frame);
        frames = frame;
    }

    /** Forgets frames after {@code mx} (an undone commit). */
    synchronized void truncate(int mx) {
        for (int f = frames; f > mx; f--) {
            int pg = pageOf[f];
            latest.put(pg, prev[f]);
        }
        frames = Math.min(frames, mx);
    }

    synchronized int pageOf(int frame) {
        return pageOf[frame];
    }

    synchronized int frames() {
        return frames;
    }
}
