package io.snkv.internal.btree;

import io.snkv.internal.pager.DatabaseHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What SNKV puts in an SQLite-format file: the meta slots in the header, a new file's first four pages,
 * and the column-family metadata table (a table b-tree, rows {@code [4-byte name length][name][4-byte
 * root page]}, a dropped family leaving a 4-byte zero tombstone).
 */
public final class SnkvLayout {
    /** A new file: page 1 schema table, page 2 pointer map, page 3 default family, page 4 metadata table. */
    static final int NEW_DEFAULT_ROOT = 3;
    static final int NEW_METADATA_ROOT = 4;

    private SnkvLayout() {
    }

    /** A column family's name and root page. */
    public record Family(String name, byte[] nameBytes, int root) {
    }

    /** Writes an empty SNKV database into a transaction on an empty file. */
    public static void initialize(PageWriter w, boolean wal) {
        w.setPageCount(4);
        byte[] p1 = w.fresh(1);
        DatabaseHeader.initialize(p1, w.pageSize(), wal);
        p1[100] = (byte) BTreePage.LEAF_TABLE;
        Bytes.put16(p1, 100 + BTreePage.OFF_CONTENT_START, w.usableSize() == 65536 ? 0 : w.usableSize());
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_SCHEMA_COOKIE, NEW_DEFAULT_ROOT);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_SCHEMA_FORMAT, 1);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_DEFAULT_CACHE, NEW_METADATA_ROOT);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_LARGEST_ROOT, NEW_METADATA_ROOT);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_INCREMENTAL_VACUUM, 1);
        byte[] map = w.fresh(2);
        map[0] = PointerMap.ROOT_PAGE;
        map[5] = PointerMap.ROOT_PAGE;
        byte[] def = w.fresh(NEW_DEFAULT_ROOT);
        def[0] = (byte) BTreePage.LEAF_INDEX;
        Bytes.put16(def, BTreePage.OFF_CONTENT_START, w.usableSize() == 65536 ? 0 : w.usableSize());
        byte[] meta = w.fresh(NEW_METADATA_ROOT);
        meta[0] = (byte) BTreePage.LEAF_TABLE;
        Bytes.put16(meta, BTreePage.OFF_CONTENT_START, w.usableSize() == 65536 ? 0 : w.usableSize());
    }

    /**
     * Gives a file without a default family (meta slot 1 is 0: the C library had not finished creating
     * it) its empty default b-tree. The family metadata table is created on first use, as in C.
     */
    public static int initializeDefaultFamily(PageWriter w) {
        boolean av = autoVacuum(w);
        PageAllocator alloc = new PageAllocator(w, new PointerMap(w.pageSize(), w.usableSize()), av);
        int root = alloc.allocate(PointerMap.ROOT_PAGE, 0);
        byte[] d = w.writable(root);
        d[0] = (byte) BTreePage.LEAF_INDEX;
        Bytes.put16(d, BTreePage.OFF_CONTENT_START, w.usableSize() == 65536 ? 0 : w.usableSize());
        byte[] p1 = w.writable(1);
        DatabaseHeader.put32(p1, DatabaseHeader.OFF_SCHEMA_COOKIE, root);
        if (DatabaseHeader.u32(p1, DatabaseHeader.OFF_SCHEMA_FORMAT) == 0) {
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_SCHEMA_FORMAT, 1);
        }
        if (av && DatabaseHeader.u32(p1, DatabaseHeader.OFF_LARGEST_ROOT) < root) {
            DatabaseHeader.put32(p1, DatabaseHeader.OFF_LARGEST_ROOT, root);
        }
        return root;
    }

    /** Root of the default family (meta slot 1); 0 when the file is not initialised. */
    public static int defaultRoot(PageReader r) {
        return DatabaseHeader.u32(r.page(1), DatabaseHeader.OFF_SCHEMA_COOKIE);
    }

    /** Root of the family metadata table (meta slot 3). */
    public static int metadataRoot(PageReader r) {
        return DatabaseHeader.u32(r.page(1), DatabaseHeader.OFF_DEFAULT_CACHE);
    }

    public static boolean autoVacuum(PageReader r) {
        return DatabaseHeader.u32(r.page(1), DatabaseHeader.OFF_LARGEST_ROOT) != 0;
    }

    /** Checks the SNKV slots of an opened file. */
    public static void validate(PageReader r) {
        int def = defaultRoot(r);
        int meta = metadataRoot(r);
        int n = r.pageCount();
        if (def < 2 || def > n) {
            throw r.corrupt(1, "default column family root " + def + " out of range");
        }
        // A column family table root of 0: no family was ever created (the C library makes it on first use).
        if (meta != 0 && (meta < 2 || meta > n || meta == def)) {
            throw r.corrupt(1, "column family table root " + meta + " out of range");
        }
        BTreePage d = BTreePage.load(r, def);
        if (!d.index) {
            throw r.corrupt(def, "default column family root is not a key-value b-tree page");
        }
        if (meta == 0) {
            return;
        }
        BTreePage m = BTreePage.load(r, meta);
        if (m.index) {
            throw r.corrupt(meta, "column family table root is not a table b-tree page");
        }
    }

    /** Every live row of the metadata table, in rowid order (tombstones skipped). */
    public static List<Family> families(PageReader r) {
        List<Family> out = new ArrayList<>();
        if (metadataRoot(r) == 0) {
            return out;
        }
        TableTree t = new TableTree(r, metadataRoot(r));
        t.forEachRow((rowid, payload) -> {
            if (payload.length < 8) {
                return; // a tombstone
            }
            int len = Bytes.u32(payload, 0);
            if (len <= 0 || 4 + len + 4 != payload.length) {
                throw r.corrupt(0, "column family row " + rowid + " is malformed");
            }
            byte[] name = java.util.Arrays.copyOfRange(payload, 4, 4 + len);
            out.add(new Family(new String(name, StandardCharsets.UTF_8), name, Bytes.u32(payload, 4 + len)));
        });
        return out;
    }
}
