package io.snkv.internal.pager;

import java.util.Arrays;

/**
 * A connection's private copy of which frame holds which page, built from the page numbers in the
 * shared wal-index as snapshots reach new frames: for each page its latest frame and for each frame the
 * previous frame of the same page, so a lookup for a snapshot ending at frame {@code mx} is a map
 * probe, not a walk over the shared hash tables. Committed frames never change until the log restarts
 * (new salts), which starts a new mirror. Not thread-safe: {@link SharedWal} guards it.
 */
final class FrameMirror {
    final int salt1;
    final int salt2;
    private final IntIntMap latest = new IntIntMap(1024);
    private int[] prev = new int[1024];
    private int frames;

    FrameMirror(int salt1, int salt2) {
        this.salt1 = salt1;
        this.salt2 = salt2;
    }

    int frames() {
        return frames;
    }

    /** Records the next frame, {@code frames() + 1}, as holding {@code pgno}. */
    void append(int pgno) {
        int frame = frames + 1;
        if (frame >= prev.length) {
            prev = Arrays.copyOf(prev, prev.length * 2);
        }
        prev[frame] = latest.get(pgno);
        latest.put(pgno, frame);
        frames = frame;
    }

    /** The newest frame at or before {@code mx} holding {@code pgno}, or 0. */
    int find(int pgno, int mx) {
        int f = latest.get(pgno);
        while (f > mx) {
            f = prev[f];
        }
        return f;
    }
}
