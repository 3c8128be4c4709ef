package io.snkv.internal.btree;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells of one page (or of siblings being redistributed) taken off their pages: each cell's bytes
 * without its child pointer, the child pointer beside it, and the right-most child.
 */
final class CellList {
    final List<byte[]> bodies = new ArrayList<>();
    final IntList children = new IntList();
    int rightChild;

    int size() {
        return bodies.size();
    }

    void add(byte[] body, int child) {
        bodies.add(body);
        children.add(child);
    }

    void insert(int i, byte[] body, int child) {
        bodies.add(i, body);
        children.insert(i, child);
    }

    void remove(int i) {
        bodies.remove(i);
        children.remove(i);
    }

    /** Bytes the cell takes on a page, pointer slot included. */
    int spaceOf(int i, boolean leaf) {
        return bodies.get(i).length + (leaf ? 0 : 4) + 2;
    }

    /** Reads every cell of {@code p}. */
    static CellList of(BTreePage p, PayloadGeometry g, PageReader r) {
        CellList l = new CellList();
        int skip = p.leaf ? 0 : 4;
        for (int i = 0; i < p.nCells; i++) {
            Cell c = Cell.parse(p, i, g, r);
            int start = c.offset + skip;
            byte[] body = java.util.Arrays.copyOfRange(p.data, start, c.offset + c.size);
            l.add(body, c.child);
        }
        l.rightChild = p.leaf ? 0 : p.rightChild();
        return l;
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            insert(n, v);
        }

        void insert(int i, int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            System.arraycopy(a, i, a, i + 1, n - i);
            a[i] = v;
            n++;
        }

        void remove(int i) {
            System.arraycopy(a, i + 1, a, i, n - i - 1);
            n--;
        }

        int get(int i) {
            return a[i];
        }

        void set(int i, int v) {
            a[i] = v;
        }
    }
}
