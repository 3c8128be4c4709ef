/**
 * SQLite-format b-trees over pages the pager hands out.
 *
 * <h2>Page layout (SQLite's "Database File Format", section 1.6)</h2>
 * <pre>
 * offset (from the page header start: 100 on page 1, else 0)
 *   0   1  page type: 2 interior index, 5 interior table, 10 leaf index, 13 leaf table
 *   1   2  first freeblock (0 = none)
 *   3   2  number of cells
 *   5   2  start of the cell content area (0 means 65536)
 *   7   1  fragmented free bytes in the content area
 *   8   4  right-most child (interior pages only)
 *   8/12   cell pointer array: 2 bytes per cell, in key order
 * cells, from the end of the page backwards:
 *   index leaf      varint payload-size | local payload | [4-byte first overflow page]
 *   index interior  4-byte left child | varint payload-size | local payload | [overflow]
 *   table leaf      varint payload-size | varint rowid | local payload | [overflow]
 *   table interior  4-byte left child | varint rowid
 * overflow page: 4-byte next overflow page (0 = last) | usable-4 payload bytes
 * </pre>
 *
 * <p>SNKV keeps each column family in an index ("BLOBKEY") b-tree whose payload is
 * {@code [4-byte BE key length][key][value]}, ordered by the key bytes only. As in any SQLite index
 * b-tree an entry lives exactly once: in a leaf or as a divider in an interior page. The column-family
 * metadata table is a table b-tree. Pages are never modified in place: a writer asks its
 * {@link io.snkv.internal.btree.PageWriter} for a private copy first.
 *
 * <p>With auto-vacuum (every file SNKV creates) pointer-map pages record, for every page after page 2,
 * what points at it; every allocation, free and cell move here keeps them right, and
 * {@link io.snkv.internal.btree.IncrementalVacuum} uses them to move pages from the end of the file into free
 * pages, as SQLite's incremental vacuum does. The lock page at byte offset 1 GiB is never allocated.
 *
 * <p>{@link io.snkv.internal.btree.Database} is the API layer's only door to the pager: it opens the
 * file (creating or finishing SNKV's layout) and hands out {@link io.snkv.internal.btree.ReadView}s and
 * {@link io.snkv.internal.btree.WriteView}s. The tree code itself calls only the pager, through
 * {@link io.snkv.internal.btree.PageReader} and {@link io.snkv.internal.btree.PageWriter}.
 */
package io.snkv.internal.btree;
