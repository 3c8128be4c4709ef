/**
 * The replication stream's wire format (REPLICATION.md 2.1, 2.2): the POST /stream request body
 * ({@link io.snkv.node.stream.PositionMap}) and the frames of the response ({@link
 * io.snkv.node.stream.FrameWriter}, {@link io.snkv.node.stream.FrameReader}), with the database-name
 * rule both share ({@link io.snkv.node.stream.DatabaseName}). A pure codec over {@code InputStream} and
 * {@code OutputStream}: no HTTP, no files, no threads; the stream server and client own those.
 *
 * <h2>Frame layout</h2>
 * All integers big-endian; {@code str} is a u16 length L then L bytes of UTF-8.
 * <pre>
 *   offset size field
 *    0      1   type (FrameType codes 0x01..0x09)
 *    1      1   flags, 0
 *    2      2   reserved, 0
 *    4      8   payload length N, at most the type's maximum
 *   12      N   payload
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>A receiver decides from the 12 header bytes alone whether a frame is acceptable (type, flags,
 *     N against the type's maximum and the data dir's free space), so a hostile N never costs memory
 *     or disk.
 * <li>LTX and SNAPSHOT files pass through a bounded buffer on both sides, never whole in memory.
 * <li>Every fault of the bytes is a {@link io.snkv.node.stream.StreamProtocolException} (an
 *     {@code IOException}) naming the frame, the stream offset and the rule; an EOF inside a frame is
 *     its subclass {@link io.snkv.node.stream.StreamTruncatedException}; an EOF between frames is a
 *     clean end.
 * <li>What a frame's contents mean (LTX decoding, TXID order, positions) is checked above this package.
 * </ul>
 *
 * <p>Depends on the JDK and {@link io.snkv.LtxPosition} from the core's public API only.
 */
package io.snkv.node.stream;
