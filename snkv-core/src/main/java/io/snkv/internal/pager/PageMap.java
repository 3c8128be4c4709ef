package io.snkv.internal.pager;

import java.util.Arrays;

/** Page number to page bytes, open addressing: the write transaction's private pages. Not thread-safe. */
final class PageMap {
    private int[] keys = new int[64];
    private byte[][] vals = new byte[64][];
    private int size;

    byte[] get(int pgno) {
        int mask = keys.length - 1;
        int i = mix(pgno) & mask;
        while (true) {
            int k = keys[i];
            if (k == pgno) {
                return vals[i];
            }
            if (k == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    boolean containsKey(int pgno) {
        return get(pgno) != null;
    }

    void put(int pgno, byte[] page) {
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = mix(pgno) & mask;
        while (true) {
            int k = keys[i];
            if (k == pgno) {
                vals[i] = page;
                return;
            }
            if (k == 0) {
                keys[i] = pgno;
                vals[i] = page;
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Page numbers held, in no particular order. */
    int[] keys() {
        int[] out = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != 0) {
                out[n++] = k;
            }
        }
        return out;
    }

    /** Drops every page numbered above {@code max}. */
    void removeAbove(int max) {
        int[] ok = keys;
        byte[][] ov = vals;
        keys = new int[ok.length];
        vals = new byte[ok.length][];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != 0 && ok[i] <= max) {
                put(ok[i], ov[i]);
            }
        }
    }

    void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(vals, null);
        size = 0;
    }

    private void rehash(int n) {
        int[] ok = keys;
        byte[][] ov = vals;
        keys = new int[n];
        vals = new byte[n][];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != 0) {
                put(ok[i], ov[i]);
            }
        }
    }

    private static int mix(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
