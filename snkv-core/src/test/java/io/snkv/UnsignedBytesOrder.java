package io.snkv;

import java.util.Comparator;

/**
 * SNKV's key order, written out independently of the engine for use in test models: unsigned byte-wise
 * comparison of the common prefix, then the shorter key first.
 */
final class UnsignedBytesOrder implements Comparator<byte[]> {
    static final UnsignedBytesOrder INSTANCE = new UnsignedBytesOrder();

    private UnsignedBytesOrder() {
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = a[i] & 0xFF;
            int y = b[i] & 0xFF;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
