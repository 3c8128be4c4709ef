package io.snkv.internal.btree;

/**
 * Reads one BLOBKEY b-tree (a column family): search, get, exists, count. Each entry's payload is
 * {@code [4-byte BE key length][key][value]}; entries are ordered by key bytes, unsigned, shorter first.
 * Stateless apart from the page source, so one instance serves one snapshot.
 */
public final class IndexTree {
    final PageReader r;
    final PayloadGeometry g;
    final int root;

    public IndexTree(PageReader r, int root) {
        this.r = r;
        this.g = PayloadGeometry.of(r.usableSize());
        this.root = root;
    }

    public int root() {
        return root;
    }

    BTreePage load(int pgno, int level) {
        if (level >= TreePath.MAX_DEPTH) {
            throw r.corrupt(pgno, "b-tree deeper than " + TreePath.MAX_DEPTH + " levels (a page loop)");
        }
        BTreePage p = BTreePage.load(r, pgno);
        if (!p.index) {
            throw r.corrupt(pgno, "table b-tree page inside a key-value b-tree");
        }
        return p;
    }

    int keyLength(BTreePage p, Cell c) {
        if (c.payloadSize < 4 || c.localSize < 4) {
            throw r.corrupt(p.pgno, "entry payload shorter than its key-length prefix");
        }
        int kl = Bytes.u32(p.data, c.localStart);
        if (kl < 0 || kl > c.payloadSize - 4) {
            throw r.corrupt(p.pgno, "entry key length " + kl + " exceeds its payload of " + c.payloadSize + " bytes");
        }
        return kl;
    }

    /** Compares {@code key} with the cell's key. */
    int compare(byte[] key, BTreePage p, Cell c) {
        int kl = keyLength(p, c);
        int localKey = c.localSize - 4;
        if (kl <= localKey) {
            return Bytes.compareKeys(key, 0, key.length, p.data, c.localStart + 4, kl);
        }
        int n = Math.min(key.length, localKey);
        int cmp = Bytes.compareKeys(key, 0, n, p.data, c.localStart + 4, n);
        if (cmp != 0 || key.length <= localKey) {
            return cmp != 0 ? cmp : (key.length == kl ? 0 : Integer.compare(key.length, kl));
        }
        byte[] full = new byte[kl];
        OverflowChain.read(r, g, p, c, 4, kl, full, 0);
        return Bytes.compareKeys(key, 0, key.length, full, 0, kl);
    }

    byte[] key(BTreePage p, Cell c) {
        int kl = keyLength(p, c);
        byte[] k = new byte[kl];
        if (kl <= c.localSize - 4) {
            System.arraycopy(p.data, c.localStart + 4, k, 0, kl);
        } else {
            OverflowChain.read(r, g, p, c, 4, kl, k, 0);
        }
        return k;
    }

    byte[] value(BTreePage p, Cell c) {
        int kl = keyLength(p, c);
        long vl = c.payloadSize - 4 - kl;
        byte[] v = new byte[(int) vl];
        if (4 + kl + vl <= c.localSize) {
            System.arraycopy(p.data, c.localStart + 4 + kl, v, 0, (int) vl);
        } else {
            OverflowChain.read(r, g, p, c, 4 + kl, (int) vl, v, 0);
        }
        return v;
    }

    /**
     * Compares {@code key} with the key of cell {@code i} of {@code p}, reading the key in place when
     * it lies wholly on the page (the common case: no Cell object, no copy).
     */
    int compareAt(byte[] key, BTreePage p, int i) {
        byte[] d = p.data;
        int usable = p.usable;
        int off = p.cellOffset(i);
        int pos = off + (p.leaf ? 0 : 4);
        if (off < p.ptrStart || pos >= usable) {
            return compare(key, p, Cell.parse(p, i, g, r));
        }
        long payload;
        int b0 = d[pos] & 0xff;
        if (b0 < 0x80) {
            payload = b0;
            pos += 1;
        } else if (pos + 1 < usable && (d[pos + 1] & 0x80) == 0) {
            payload = ((long) (b0 & 0x7f) << 7) | (d[pos + 1] & 0xff);
            pos += 2;
        } else {
            return compare(key, p, Cell.parse(p, i, g, r));
        }
        if (payload > g.maxLocalIndex || payload < 4 || pos + payload > usable) {
            return compare(key, p, Cell.parse(p, i, g, r));
        }
        int kl = ((d[pos] & 0xff) << 24) | ((d[pos + 1] & 0xff) << 16) | ((d[pos + 2] & 0xff) << 8) | (d[pos + 3] & 0xff);
        if (kl < 0 || kl > payload - 4) {
            throw r.corrupt(p.pgno, "entry key length " + kl + " exceeds its payload of " + payload + " bytes");
        }
        return Bytes.compareKeys(key, 0, key.length, d, pos + 4, kl);
    }

    /** Finds {@code key}: the path ends at the matching cell, or at the leaf slot where it would go. */
    TreePath search(byte[] key) {
        TreePath path = new TreePath();
        int pg = root;
        boolean rightmost = true;
        for (int level = 0; ; level++) {
            BTreePage p = load(pg, level);
            int lo = 0;
            int hi = p.nCells - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int cmp = compareAt(key, p, mid);
                if (cmp == 0) {
                    path.push(pg, mid);
                    path.found = true;
                    path.rightmost = false;
                    return path;
                }
                if (cmp < 0) {
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            path.push(pg, lo);
            rightmost &= lo == p.nCells;
            if (p.leaf) {
                path.rightmost = rightmost;
                return path;
            }
            pg = childPage(p, lo);
        }
    }

    int childPage(BTreePage p, int i) {
        int c = p.childAt(i);
        if (c < 2 || c > r.pageCount() || c == p.pgno) {
            throw r.corrupt(p.pgno, "child pointer " + i + " to page " + c + " out of range");
        }
        return c;
    }

    /** The value stored under {@code key}, or null. */
    public byte[] get(byte[] key) {
        if (root == 0) {
            return null;
        }
        TreePath path = search(key);
        if (!path.found) {
            return null;
        }
        BTreePage p = BTreePage.load(r, path.pgno[path.last]);
        return value(p, Cell.parse(p, path.idx[path.last], g, r));
    }

    public boolean exists(byte[] key) {
        return root != 0 && search(key).found;
    }

    /** Entries in the tree: every cell of every page, leaf and interior alike. */
    public long count() {
        return root == 0 ? 0 : countFrom(root, 0);
    }

    private long countFrom(int pgno, int level) {
        BTreePage p = load(pgno, level);
        long n = p.nCells;
        if (!p.leaf) {
            for (int i = 0; i <= p.nCells; i++) {
                n += countFrom(childPage(p, i), level + 1);
            }
        }
        return n;
    }

    /** A cursor over this tree's snapshot (root 0: a tree not created yet, always empty). */
    public TreeCursor cursor() {
        return new TreeCursor(this);
    }
}
