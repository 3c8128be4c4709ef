package io.snkv.internal.btree;

/**
 * How much of a cell's payload stays on its b-tree page (SQLite's rules, "Cell Payload Overflow Pages"):
 * U = usable size; index pages keep at most X = (U-12)*64/255-23 bytes, table leaves X = U-35; when the
 * payload P exceeds X, the page keeps K = M+((P-M) mod (U-4)) if K <= X, else M = (U-12)*32/255-23.
 */
public final class PayloadGeometry {
    final int usable;
    final int maxLocalIndex;
    final int maxLocalTable;
    final int minLocal;
    /** Payload bytes an overflow page carries. */
    final int overflowCapacity;

    private static final PayloadGeometry[] BY_SIZE = new PayloadGeometry[65537];

    /** The (immutable, shared) geometry of a usable size. */
    static PayloadGeometry of(int usable) {
        PayloadGeometry g = BY_SIZE[usable];
        if (g == null) {
            g = new PayloadGeometry(usable);
            BY_SIZE[usable] = g;
        }
        return g;
    }

    public PayloadGeometry(int usable) {
        this.usable = usable;
        this.maxLocalIndex = (usable - 12) * 64 / 255 - 23;
        this.maxLocalTable = usable - 35;
        this.minLocal = (usable - 12) * 32 / 255 - 23;
        this.overflowCapacity = usable - 4;
    }

    /** Bytes of a payload of {@code size} bytes kept on the page. */
    int localSize(long size, boolean tableLeaf) {
        int max = tableLeaf ? maxLocalTable : maxLocalIndex;
        if (size <= max) {
            return (int) size;
        }
        long k = minLocal + (size - minLocal) % overflowCapacity;
        return k <= max ? (int) k : minLocal;
    }

    /** Overflow pages a payload of {@code size} bytes needs. */
    long overflowPages(long size, boolean tableLeaf) {
        long rest = size - localSize(size, tableLeaf);
        return (rest + overflowCapacity - 1) / overflowCapacity;
    }
}
