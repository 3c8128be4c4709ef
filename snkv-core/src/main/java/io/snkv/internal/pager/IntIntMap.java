package io.snkv.internal.pager;

import java.util.Arrays;

/** Open-addressing map from positive int keys to int values (0 = absent). Not thread-safe. */
final class IntIntMap {
    private int[] keys;
    private int[] vals;
    private int size;

    IntIntMap(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new int[n];
        vals = new int[n];
    }

    int get(int key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            int k = keys[i];
            if (k == key) {
                return vals[i];
            }
            if (k == 0) {
                return 0;
            }
            i = (i + 1) & mask;
        }
    }

    void put(int key, int val) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            int k = keys[i];
            if (k == key) {
                vals[i] = val;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                vals[i] = val;
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, 0);
        size = 0;
    }

    private void grow() {
        int[] ok = keys;
        int[] ov = vals;
        keys = new int[ok.length * 2];
        vals = new int[ok.length * 2];
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
