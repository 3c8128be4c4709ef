package io.snkv;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only map of a sound SNKV database file, built from its bytes without the engine, so that tests
 * can aim damage at a known structure: which page is an interior or leaf page of the default family's
 * b-tree, where its child pointers sit, which pages form each overflow chain and which entry owns it, the
 * free list and the pointer-map pages. It trusts the file (use it on golden files only) and follows
 * SQLite's "Database File Format" for index b-trees.
 */
final class RawDatabaseFile {
    /** Header offsets (SQLite's database header). */
    static final int HDR_PAGE_SIZE = 16;
    static final int HDR_PAGE_COUNT = 28;
    static final int HDR_FREELIST_TRUNK = 32;
    static final int HDR_FREELIST_COUNT = 36;
    /** Meta slot 1: root page of the default column family. */
    static final int HDR_DEFAULT_ROOT = 40;
    /** Meta slot 3: root page of the column-family table. */
    static final int HDR_CF_TABLE_ROOT = 48;
    static final int HDR_LARGEST_ROOT = 52;

    /** B-tree page header offsets, from the start of the page header. */
    static final int PG_TYPE = 0;
    static final int PG_CELL_COUNT = 3;
    static final int PG_RIGHT_CHILD = 8;
    static final int INDEX_INTERIOR = 2;
    static final int INDEX_LEAF = 10;

    enum PageKind { HEADER, PTRMAP, CF_TABLE, TREE_INTERIOR, TREE_LEAF, OVERFLOW, FREELIST_TRUNK, FREELIST_LEAF, OTHER }

    /**
     * One overflow chain: the entry whose payload spills onto it, its pages in chain order, and the file
     * offset of the cell's 4-byte pointer to the first page.
     */
    record OverflowChain(int cellPage, byte[] ownerKey, int payloadSize, int localSize, long pointerOffset,
                         List<Integer> pages) {
        int tail() {
            return pages.get(pages.size() - 1);
        }
    }

    /**
     * One cell of the default family's b-tree: file offsets of the cell, of its payload-size varint and of
     * the 4-byte key length that opens its payload; {@code key} is null when the key spills to overflow.
     */
    record Cell(int page, long offset, long payloadSizeOffset, int payloadSizeLength, long keyLengthOffset,
                byte[] key, int payloadSize) {
    }

    private final byte[] bytes;
    private final int pageSize;
    private final int usable;
    private final int pageCount;
    private final Map<Integer, PageKind> kinds = new LinkedHashMap<>();
    private final List<Integer> interiorPages = new ArrayList<>();
    private final List<Integer> leafPages = new ArrayList<>();
    private final List<Cell> leafCells = new ArrayList<>();
    private final List<Cell> interiorCells = new ArrayList<>();
    private final List<OverflowChain> chains = new ArrayList<>();
    private final List<Integer> freelistTrunks = new ArrayList<>();
    private final List<Integer> freelistLeaves = new ArrayList<>();
    private final Map<Integer, Integer> depth = new LinkedHashMap<>();

    RawDatabaseFile(byte[] bytes) {
        this.bytes = bytes;
        int raw = u16(HDR_PAGE_SIZE);
        this.pageSize = raw == 1 ? 65536 : raw;
        this.usable = pageSize - (bytes[20] & 0xff);
        this.pageCount = u32(HDR_PAGE_COUNT);
        kinds.put(1, PageKind.HEADER);
        if (u32(HDR_LARGEST_ROOT) != 0) {
            for (long p = 2; p <= pageCount; p += usable / 5 + 1) {
                kinds.put((int) p, PageKind.PTRMAP);
            }
        }
        int cfRoot = u32(HDR_CF_TABLE_ROOT);
        if (cfRoot != 0) {
            kinds.put(cfRoot, PageKind.CF_TABLE); // a single page in the golden files
        }
        int root = u32(HDR_DEFAULT_ROOT);
        if (root != 0) {
            walk(root, 0, new HashSet<>());
        }
        readFreeList();
    }

    static RawDatabaseFile ofGolden(String name) {
        return new RawDatabaseFile(GoldenFiles.read(name));
    }

    int pageSize() {
        return pageSize;
    }

    int pageCount() {
        return pageCount;
    }

    long fileSize() {
        return bytes.length;
    }

    int defaultRoot() {
        return u32(HDR_DEFAULT_ROOT);
    }

    /** File offset of the first byte of page {@code page}. */
    long pageOffset(int page) {
        return (long) (page - 1) * pageSize;
    }

    /** File offset of a b-tree page's header (page 1's follows the 100-byte database header). */
    long pageHeaderOffset(int page) {
        return pageOffset(page) + (page == 1 ? 100 : 0);
    }

    PageKind kind(int page) {
        return kinds.getOrDefault(page, PageKind.OTHER);
    }

    List<Integer> pagesOfKind(PageKind kind) {
        return kinds.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).sorted().toList();
    }

    /** Interior pages of the default family's tree, root first (breadth of a depth-first walk). */
    List<Integer> interiorPages() {
        return List.copyOf(interiorPages);
    }

    List<Integer> leafPages() {
        return List.copyOf(leafPages);
    }

    List<Cell> leafCells() {
        return List.copyOf(leafCells);
    }

    List<Cell> interiorCells() {
        return List.copyOf(interiorCells);
    }

    List<OverflowChain> overflowChains() {
        return List.copyOf(chains);
    }

    List<Integer> freelistTrunks() {
        return List.copyOf(freelistTrunks);
    }

    List<Integer> freelistLeaves() {
        return List.copyOf(freelistLeaves);
    }

    /** Depth of a tree page below the root (root = 0). */
    int depth(int page) {
        return depth.getOrDefault(page, -1);
    }

    /** File offsets of an interior page's child pointers: each cell's left child, then the right child. */
    List<Long> childPointerOffsets(int interiorPage) {
        List<Long> offsets = new ArrayList<>();
        long hdr = pageHeaderOffset(interiorPage);
        int cells = u16(hdr + PG_CELL_COUNT);
        for (int i = 0; i < cells; i++) {
            offsets.add(pageOffset(interiorPage) + u16(hdr + 12 + 2L * i));
        }
        offsets.add(hdr + PG_RIGHT_CHILD);
        return offsets;
    }

    /** The 4-byte big-endian value at a file offset. */
    int u32(long offset) {
        return ByteBuffer.wrap(bytes, (int) offset, 4).getInt();
    }

    int u16(long offset) {
        return ((bytes[(int) offset] & 0xff) << 8) | (bytes[(int) offset + 1] & 0xff);
    }

    /** Bytes of the value of the entry that owns {@code chain} that live on the chain's last page. */
    int[] valueRangeOnTail(OverflowChain chain) {
        int perPage = usable - 4;
        int tailStartInPayload = chain.localSize() + (chain.pages().size() - 1) * perPage;
        int valueStartInPayload = 4 + chain.ownerKey().length;
        int valueLen = chain.payloadSize() - valueStartInPayload;
        return new int[] {Math.max(0, tailStartInPayload - valueStartInPayload), valueLen};
    }

    private void walk(int page, int level, Set<Integer> seen) {
        if (!seen.add(page)) {
            throw new IllegalStateException("page " + page + " reached twice: not a sound file");
        }
        depth.put(page, level);
        long hdr = pageHeaderOffset(page);
        int type = bytes[(int) (hdr + PG_TYPE)] & 0xff;
        int cells = u16(hdr + PG_CELL_COUNT);
        boolean interior = type == INDEX_INTERIOR;
        if (!interior && type != INDEX_LEAF) {
            throw new IllegalStateException("page " + page + " has type " + type + ", not an index b-tree page");
        }
        kinds.put(page, interior ? PageKind.TREE_INTERIOR : PageKind.TREE_LEAF);
        (interior ? interiorPages : leafPages).add(page);
        int cellArray = (int) hdr + (interior ? 12 : 8);
        for (int i = 0; i < cells; i++) {
            int cellStart = (int) pageOffset(page) + u16(cellArray + 2L * i);
            int pos = cellStart;
            if (interior) {
                walk(u32(pos), level + 1, seen);
                pos += 4;
            }
            int sizeOffset = pos;
            long[] varint = readVarint(pos);
            int payload = (int) varint[0];
            pos += (int) varint[1];
            int local = localPayload(payload);
            int keyLen = u32(pos);
            byte[] key = 4 + keyLen <= local ? Arrays.copyOfRange(bytes, pos + 4, pos + 4 + keyLen) : null;
            Cell cell = new Cell(page, cellStart, sizeOffset, (int) varint[1], pos, key, payload);
            (interior ? interiorCells : leafCells).add(cell);
            if (local < payload) {
                int first = u32(pos + local);
                int n = (payload - local + usable - 5) / (usable - 4);
                List<Integer> chainPages = new ArrayList<>();
                int p = first;
                for (int k = 0; k < n; k++) {
                    chainPages.add(p);
                    kinds.put(p, PageKind.OVERFLOW);
                    p = u32(pageOffset(p));
                }
                chains.add(new OverflowChain(page, key, payload, local, pos + local, List.copyOf(chainPages)));
            }
        }
        if (interior) {
            walk(u32(hdr + PG_RIGHT_CHILD), level + 1, seen);
        }
    }

    /** SQLite's local payload size for an index b-tree cell. */
    private int localPayload(int payload) {
        int maxLocal = (usable - 12) * 64 / 255 - 23;
        int minLocal = (usable - 12) * 32 / 255 - 23;
        if (payload <= maxLocal) {
            return payload;
        }
        int k = minLocal + (payload - minLocal) % (usable - 4);
        return k <= maxLocal ? k : minLocal;
    }

    private void readFreeList() {
        int trunk = u32(HDR_FREELIST_TRUNK);
        Set<Integer> seen = new HashSet<>();
        while (trunk != 0 && seen.add(trunk)) {
            freelistTrunks.add(trunk);
            kinds.put(trunk, PageKind.FREELIST_TRUNK);
            long off = pageOffset(trunk);
            int leaves = u32(off + 4);
            for (int i = 0; i < leaves; i++) {
                int leaf = u32(off + 8 + 4L * i);
                freelistLeaves.add(leaf);
                kinds.put(leaf, PageKind.FREELIST_LEAF);
            }
            trunk = u32(off);
        }
    }

    /** SQLite varint: {value, length}. */
    private long[] readVarint(int pos) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int b = bytes[pos + i] & 0xff;
            v = (v << 7) | (b & 0x7f);
            if (b < 0x80) {
                return new long[] {v, i + 1};
            }
        }
        return new long[] {(v << 8) | (bytes[pos + 8] & 0xff), 9};
    }
}
