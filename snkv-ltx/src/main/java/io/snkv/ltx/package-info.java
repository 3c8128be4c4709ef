/**
 * LTX version 3: the file format that carries one or more committed transactions' pages between
 * nodes, byte-compatible with the reference Go implementation ({@code github.com/superfly/ltx}).
 *
 * <p>This package owns the codec ({@link io.snkv.ltx.LtxEncoder}, {@link io.snkv.ltx.LtxDecoder}),
 * CRC-64/GO-ISO ({@link io.snkv.ltx.Crc64Iso}), page and database checksums
 * ({@link io.snkv.ltx.LtxChecksums}), file naming ({@link io.snkv.ltx.LtxFileName}) and compaction of
 * consecutive files into one ({@link io.snkv.ltx.LtxCompactor}). It calls only
 * the JDK and lz4-java; it knows nothing of the store or the replication node.
 *
 * <h2>Layout</h2>
 * All integers big-endian. Offsets are kept as constants in {@link io.snkv.ltx.LtxLayout}.
 * <pre>
 *   header (100 bytes) | page frames | zero page header (6 bytes) | page index | trailer (16 bytes)
 *
 *   header   0  4  magic "LTX1"
 *            4  4  flags (only 0x2 "no checksum" allowed)
 *            8  4  page size, power of two 512..65536
 *           12  4  commit: database size in pages after applying
 *           16  8  min TXID (>= 1; 1 means snapshot)
 *           24  8  max TXID (>= min TXID)
 *           32  8  timestamp, ms since the Unix epoch
 *           40  8  pre-apply checksum: 0 for snapshots and with "no checksum", else FLAG set
 *           48  8  WAL offset     56  8  WAL size
 *           64  4  WAL salt 1     68  4  WAL salt 2
 *           72  8  node ID        80 20  reserved, zero
 *
 *   frame    0  4  page number (1-based, strictly increasing, &lt;= commit, never the lock page)
 *            4  2  flags: 0x0001 = size prefix follows (always written)
 *            6  4  compressed size N
 *           10  N  page as one raw LZ4 block, decompressing to exactly page size bytes
 *   end of frames: 6 zero bytes
 *
 *   index    per frame: uvarint page number, uvarint frame offset, uvarint frame size;
 *            uvarint 0; then 8 bytes: length of the entries including that 0
 *
 *   trailer  0  8  post-apply checksum (FLAG set; 0 with "no checksum")
 *            8  8  file checksum (FLAG set)
 * </pre>
 *
 * <h2>Checksums</h2>
 * FLAG is {@code 1L << 63}. A page checksum is {@code FLAG | crc64(uint32_be(pgno) || page)}; a
 * database checksum is FLAG OR the XOR of the page checksums of pages 1..commit without the lock page
 * (the page holding byte 1,073,741,824). The file checksum is one CRC over the header, each frame's
 * 10 header bytes followed by its <em>uncompressed</em> page, the zero page header, the whole index
 * including its length, and the post-apply checksum; stored with FLAG set.
 *
 * <p>Because the file checksum covers uncompressed pages, a change to compressed bytes that still
 * decompresses to the same page is, by design of the format, not detectable and harmless.
 *
 * <p>Frames without flag 0x0001 (older files: the page as one LZ4 frame, no size prefix) are decoded,
 * with the LZ4 frame's own checksums verified; the encoder always writes flag 0x0001.
 */
package io.snkv.ltx;
