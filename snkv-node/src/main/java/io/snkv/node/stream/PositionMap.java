package io.snkv.node.stream;

import io.snkv.LtxPosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The POST /stream request body (REPLICATION.md 2.1): the replica's position of every database it has
 * state for. The same list, after a timestamp, is a HEARTBEAT frame's payload.
 *
 * <pre>
 *   u32 count
 *   count x { u16 L ; L bytes name ; u64 txid ; u64 checksum }   names sorted by byte value, no duplicates
 * </pre>
 *
 * Names are database names ({@link DatabaseName}); being ASCII, their byte order is {@link String}'s
 * natural order. A body is at most {@link #MAX_BYTES}. Stateless.
 */
public final class PositionMap {
    /** Largest body a primary reads (and a writer produces). */
    public static final int MAX_BYTES = 16 << 20;

    /** Smallest entry: a 1-byte name. Bounds a claimed count before any entry is read. */
    static final int MIN_ENTRY_BYTES = 2 + 1 + 8 + 8;

    private PositionMap() {}

    /**
     * The body for {@code positions}, written in byte order of the names whatever the map's own
     * comparator. {@link IllegalArgumentException} for an invalid name, a null position or a body over
     * {@link #MAX_BYTES}.
     */
    public static byte[] encode(SortedMap<String, LtxPosition> positions) {
        SortedMap<String, LtxPosition> sorted = inByteOrder(positions);
        long length = entriesLength(sorted);
        if (length > MAX_BYTES) {
            throw new IllegalArgumentException("position map of " + sorted.size() + " databases is " + length
                    + " bytes, more than " + MAX_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate((int) length);
        putEntries(sorted, out);
        return out.array();
    }

    /** Writes {@link #encode}'s bytes to {@code out} (not flushed, not closed). */
    public static void write(SortedMap<String, LtxPosition> positions, OutputStream out) throws IOException {
        out.write(encode(positions));
    }

    /**
     * Reads a whole body from {@code in} up to its EOF and decodes it. {@link StreamProtocolException}
     * (offset from the start of the body) for more than {@code maxBytes} bytes, a count the body cannot
     * hold, a truncated entry, an invalid, unsorted or repeated name, or bytes after the last entry.
     * Reads at most {@code maxBytes + 1} bytes; does not close {@code in}.
     */
    public static SortedMap<String, LtxPosition> read(InputStream in, int maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " outside 0.." + (Integer.MAX_VALUE - 1));
        }
        // readNBytes grows its buffer as bytes arrive, so a short body never costs maxBytes of memory.
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw StreamProtocolException.inPositionMap(maxBytes, "body longer than the limit of " + maxBytes + " bytes");
        }
        return decode(body);
    }

    /** Decodes a whole body; the rules of {@link #read}. */
    public static SortedMap<String, LtxPosition> decode(byte[] body) throws StreamProtocolException {
        PayloadCursor c = new PayloadCursor(body, 0, StreamProtocolException::inPositionMap);
        SortedMap<String, LtxPosition> positions = getEntries(c);
        c.requireEnd("the last entry");
        return positions;
    }

    /** Bytes {@link #encode} writes for {@code positions} (valid names assumed). */
    static long entriesLength(Map<String, LtxPosition> positions) {
        long length = 4;
        for (String name : positions.keySet()) {
            length += 2 + name.length() + 16;
        }
        return length;
    }

    /** A copy in byte order of the names, each name and position checked; unmodifiable. */
    static SortedMap<String, LtxPosition> inByteOrder(SortedMap<String, LtxPosition> positions) {
        TreeMap<String, LtxPosition> sorted = new TreeMap<>();
        for (Map.Entry<String, LtxPosition> e : positions.entrySet()) {
            DatabaseName.validate(e.getKey());
            if (e.getValue() == null) {
                throw new IllegalArgumentException("position of " + e.getKey() + " is null");
            }
            sorted.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableSortedMap(sorted);
    }

    /** Puts count and entries; {@code sorted} must come from {@link #inByteOrder}. */
    static void putEntries(SortedMap<String, LtxPosition> sorted, ByteBuffer out) {
        out.putInt(sorted.size());
        for (Map.Entry<String, LtxPosition> e : sorted.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            out.putShort((short) name.length).put(name);
            out.putLong(e.getValue().txid()).putLong(e.getValue().checksum());
        }
    }

    /** Reads count and entries, checking each rule where its bytes are; unmodifiable result. */
    static SortedMap<String, LtxPosition> getEntries(PayloadCursor c) throws StreamProtocolException {
        long countOffset = c.offset();
        long count = c.u32("count");
        if (count > c.remaining() / MIN_ENTRY_BYTES) {
            throw c.faultAt(countOffset, "count " + count + " needs at least " + count * MIN_ENTRY_BYTES
                    + " bytes of entries, " + c.remaining() + " left");
        }
        TreeMap<String, LtxPosition> positions = new TreeMap<>();
        String previous = null;
        for (long i = 0; i < count; i++) {
            long entryOffset = c.offset();
            String name = c.databaseName("entry " + i + " name");
            long txid = c.u64("entry " + i + " txid");
            long checksum = c.u64("entry " + i + " checksum");
            if (previous != null) {
                int order = name.compareTo(previous);
                if (order == 0) {
                    throw c.faultAt(entryOffset, "entry " + i + ": database name \"" + name + "\" appears twice");
                }
                if (order < 0) {
                    throw c.faultAt(entryOffset, "entry " + i + ": database name \"" + name + "\" follows \""
                            + previous + "\"; names must be sorted by byte value");
                }
            }
            positions.put(name, new LtxPosition(txid, checksum));
            previous = name;
        }
        return Collections.unmodifiableSortedMap(positions);
    }
}
