package io.snkv.ltx;

import static io.snkv.ltx.LtxLayout.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import java.util.Objects;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads one LTX v3 file from an {@link InputStream}, verifying every rule as it goes: the header at
 * construction, each frame in {@link #readPage}, and the index and trailer when the page block ends.
 * Every violation, including a truncated file, raises {@link LtxFormatException} naming the byte
 * offset and the rule; lengths read from the file are bounded before anything is allocated.
 *
 * <p>A page returned by {@link #readPage} is only known good once {@link #readPage} has returned
 * {@code null} (the file checksum is checked last): apply pages only after that. The decoder never
 * reads past the trailer and does not close the stream (the caller owns it). Not thread-safe.
 *
 * <p>Frames without flag 0x0001 (older files: an LZ4 frame, no size prefix) are decoded too, every
 * checksum of the LZ4 frame verified.
 */
public final class LtxDecoder {
    /** Pure-Java, bounds-checked decompressor: JNI may be absent and input is untrusted. */
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();
    private static final int MAX_COMPRESSED_PAGE =
            LZ4Factory.safeInstance().fastCompressor().maxCompressedLength(MAX_PAGE_SIZE);

    private final InputStream in;
    private final LtxHeader header;
    private final long lockPage;
    private final int maxCompressed;
    private final Crc64Iso fileCrc = new Crc64Iso();
    private final List<LtxIndexEntry> frames = new ArrayList<>();
    private final byte[] compressed;
    private long position;
    private long lastPgno;
    private long snapshotChecksum;
    private LtxTrailer trailer;

    /** Reads and verifies the header. */
    public LtxDecoder(InputStream in) throws IOException {
        this.in = Objects.requireNonNull(in);
        byte[] h = readExact(HEADER_SIZE, "header");
        this.header = LtxHeader.parse(h);
        fileCrc.update(h, 0, h.length);
        this.lockPage = header.lockPage();
        this.maxCompressed = LZ4Factory.safeInstance().fastCompressor().maxCompressedLength(header.pageSize());
        this.compressed = new byte[Math.min(maxCompressed, MAX_COMPRESSED_PAGE)];
    }

    public LtxHeader header() {
        return header;
    }

    /**
     * The next page, or {@code null} once the page block has ended and the index and trailer (and
     * with them the whole file) have been verified.
     */
    public LtxPageFrame readPage() throws IOException {
        if (trailer != null) {
            return null;
        }
        long frameOffset = position;
        byte[] pageHeader = readExact(PAGE_HEADER_SIZE, "page header");
        long pgno = Integer.toUnsignedLong(getInt(pageHeader, FRAME_OFF_PGNO));
        int flags = ((pageHeader[FRAME_OFF_FLAGS] & 0xFF) << 8) | (pageHeader[FRAME_OFF_FLAGS + 1] & 0xFF);
        if (pgno == 0 && flags == 0) {
            finishPages(frameOffset);
            return null;
        }
        if (flags == 0) {
            checkPageNumber(pgno, frameOffset);
            byte[] page = readLegacyFrame(pgno, frameOffset + PAGE_HEADER_SIZE);
            fileCrc.update(pageHeader, 0, PAGE_HEADER_SIZE).update(page, 0, page.length);
            return accept(pgno, frameOffset, page);
        }
        if (flags != FRAME_FLAG_SIZE) {
            throw new LtxFormatException(frameOffset + FRAME_OFF_FLAGS,
                    "page frame flags 0x" + Integer.toHexString(flags) + " are invalid (only 0x0001, or 0 for an older file)");
        }
        checkPageNumber(pgno, frameOffset);
        byte[] sizeBytes = readExact(SIZE_PREFIX_SIZE, "compressed size");
        long size = Integer.toUnsignedLong(getInt(sizeBytes, 0));
        if (size == 0 || size > compressed.length) {
            throw new LtxFormatException(frameOffset + FRAME_OFF_SIZE, "compressed size " + size
                    + " is outside 1.." + compressed.length + " (LZ4 bound for page size " + header.pageSize() + ")");
        }
        readExact(compressed, (int) size, "compressed page " + pgno);
        byte[] page = new byte[header.pageSize()];
        int n;
        try {
            n = DECOMPRESSOR.decompress(compressed, 0, (int) size, page, 0, page.length);
        } catch (RuntimeException e) {
            // LZ4Exception is expected; anything else from the library on bad input is reported alike.
            throw new LtxFormatException(frameOffset + FRAME_OFF_DATA,
                    "page " + pgno + " is not a valid LZ4 block of page size bytes: " + e.getMessage());
        }
        if (n != page.length) {
            throw new LtxFormatException(frameOffset + FRAME_OFF_DATA,
                    "page " + pgno + " decompresses to " + n + " bytes, page size is " + page.length);
        }
        if (!endsWithLiteralsOnly(compressed, (int) size)) {
            throw new LtxFormatException(frameOffset + FRAME_OFF_DATA, "page " + pgno
                    + ": the LZ4 block's last sequence has a non-zero match length (LZ4 requires literals only)");
        }
        fileCrc.update(pageHeader, 0, PAGE_HEADER_SIZE).update(sizeBytes, 0, SIZE_PREFIX_SIZE).update(page, 0, page.length);
        return accept(pgno, frameOffset, page);
    }

    private LtxPageFrame accept(long pgno, long frameOffset, byte[] page) {
        frames.add(new LtxIndexEntry(pgno, frameOffset, position - frameOffset));
        if (header.isSnapshot()) {
            snapshotChecksum ^= LtxChecksums.pageChecksum(pgno, page);
        }
        lastPgno = pgno;
        return new LtxPageFrame(pgno, page);
    }

    /** The verified trailer; only after {@link #readPage} has returned {@code null}. */
    public LtxTrailer trailer() {
        if (trailer == null) {
            throw new IllegalStateException("trailer not read yet: read pages until readPage() returns null");
        }
        return trailer;
    }

    /** The index entries of the frames read so far (after the end, the verified page index). */
    public List<LtxIndexEntry> index() {
        return List.copyOf(frames);
    }

    /** Number of bytes consumed from the stream. */
    public long position() {
        return position;
    }

    /**
     * Decodes and verifies a whole file held in memory, rejecting bytes after the trailer.
     *
     * @return the pages, in file order
     */
    public static List<LtxPageFrame> decodeAll(byte[] file) throws IOException {
        var in = new java.io.ByteArrayInputStream(file);
        LtxDecoder d = new LtxDecoder(in);
        List<LtxPageFrame> pages = new ArrayList<>();
        for (LtxPageFrame p; (p = d.readPage()) != null; ) {
            pages.add(p);
        }
        if (d.position() != file.length) {
            throw new LtxFormatException(d.position(), "bytes follow the trailer");
        }
        return pages;
    }

    private static final int LZ4_FRAME_MAGIC = 0x184D2204;
    private static final XXHash32 XXH32 = XXHashFactory.safeInstance().hash32();

    /**
     * A page stored the older way (frame flags 0): one LZ4 frame (magic, descriptor with its checksum,
     * blocks each with a 4-byte size, end mark, optional checksums) and no size prefix, so it is parsed
     * field by field to find its end. Every checksum the frame carries is verified; the frame must
     * decode to exactly one page.
     */
    private byte[] readLegacyFrame(long pgno, long at) throws IOException {
        byte[] head = readExact(6, "LZ4 frame header of page " + pgno);
        if (getIntLE(head, 0) != LZ4_FRAME_MAGIC) {
            throw new LtxFormatException(at, "page " + pgno + ": no LZ4 frame magic in a frame without flag 0x0001");
        }
        int flg = head[4] & 0xFF;
        int bd = head[5] & 0xFF;
        if ((flg >>> 6) != 1 || (flg & 0x02) != 0 || (bd & 0x8F) != 0 || ((bd >>> 4) & 7) < 4) {
            throw new LtxFormatException(at + 4, "page " + pgno + ": unsupported LZ4 frame descriptor");
        }
        if ((flg & 0x01) != 0) {
            throw new LtxFormatException(at + 4, "page " + pgno + ": LZ4 frame with a dictionary");
        }
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        int maxBlock = 1 << (8 + 2 * ((bd >>> 4) & 7));
        byte[] descriptor = new byte[2 + (contentSize ? 8 : 0)];
        descriptor[0] = head[4];
        descriptor[1] = head[5];
        if (contentSize) {
            System.arraycopy(readExact(8, "LZ4 frame content size"), 0, descriptor, 2, 8);
            long size = getIntLE(descriptor, 2) & 0xFFFFFFFFL | (long) getIntLE(descriptor, 6) << 32;
            if (size != header.pageSize()) {
                throw new LtxFormatException(at + 6, "page " + pgno + ": LZ4 frame content size " + size
                        + ", page size is " + header.pageSize());
            }
        }
        int hc = readExact(1, "LZ4 frame header checksum")[0] & 0xFF;
        if (hc != ((XXH32.hash(descriptor, 0, descriptor.length, 0) >>> 8) & 0xFF)) {
            throw new LtxFormatException(position - 1, "page " + pgno + ": LZ4 frame header checksum mismatch");
        }
        byte[] page = new byte[header.pageSize()];
        int filled = 0;
        while (true) {
            long blockAt = position;
            int word = getIntLE(readExact(4, "LZ4 block size"), 0);
            if (word == 0) {
                break;
            }
            boolean stored = word < 0;
            int size = word & 0x7FFFFFFF;
            if (size > maxBlock || size > compressed.length) {
                throw new LtxFormatException(blockAt, "page " + pgno + ": LZ4 block of " + size + " bytes is too large");
            }
            readExact(compressed, size, "LZ4 block of page " + pgno);
            if (blockChecksum) {
                int sum = getIntLE(readExact(4, "LZ4 block checksum"), 0);
                if (sum != XXH32.hash(compressed, 0, size, 0)) {
                    throw new LtxFormatException(position - 4, "page " + pgno + ": LZ4 block checksum mismatch");
                }
            }
            if (filled > 0 && (flg & 0x20) == 0) {
                throw new LtxFormatException(blockAt, "page " + pgno + ": dependent LZ4 blocks are not supported");
            }
            int n;
            if (stored) {
                if (size > page.length - filled) {
                    throw new LtxFormatException(blockAt, "page " + pgno + ": LZ4 frame holds more than a page");
                }
                System.arraycopy(compressed, 0, page, filled, size);
                n = size;
            } else {
                try {
                    n = DECOMPRESSOR.decompress(compressed, 0, size, page, filled, page.length - filled);
                } catch (RuntimeException e) {
                    throw new LtxFormatException(blockAt + 4, "page " + pgno + ": invalid LZ4 block in its frame: "
                            + e.getMessage());
                }
            }
            filled += n;
        }
        if (contentChecksum) {
            int sum = getIntLE(readExact(4, "LZ4 content checksum"), 0);
            if (sum != XXH32.hash(page, 0, filled, 0)) {
                throw new LtxFormatException(position - 4, "page " + pgno + ": LZ4 content checksum mismatch");
            }
        }
        if (filled != page.length) {
            throw new LtxFormatException(at, "page " + pgno + ": LZ4 frame decompresses to " + filled
                    + " bytes, page size is " + page.length);
        }
        return page;
    }

    private static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    /**
     * Walks an already decompressed block's sequences and reports whether the last token's match
     * nibble is zero. Decompressors ignore that nibble, and the file checksum covers only the
     * uncompressed page, so without this check a corrupted byte there would go unnoticed.
     */
    static boolean endsWithLiteralsOnly(byte[] b, int len) {
        int i = 0;
        while (i < len) {
            int token = b[i++] & 0xFF;
            long literals = token >>> 4;
            if (literals == 15) {
                int x;
                do {
                    if (i >= len) {
                        return false;
                    }
                    x = b[i++] & 0xFF;
                    literals += x;
                } while (x == 255);
            }
            if (literals > len - i) {
                return false;
            }
            i += (int) literals;
            if (i == len) {
                return (token & 0x0F) == 0;
            }
            i += 2;
            if ((token & 0x0F) == 15) {
                int x;
                do {
                    if (i >= len) {
                        return false;
                    }
                    x = b[i++] & 0xFF;
                } while (x == 255);
            }
        }
        return false;
    }

    private void checkPageNumber(long pgno, long frameOffset) throws LtxFormatException {
        long at = frameOffset + FRAME_OFF_PGNO;
        if (pgno == 0) {
            throw new LtxFormatException(at, "page number 0 in a page frame");
        }
        if (pgno > header.commit()) {
            throw new LtxFormatException(at, "page " + pgno + " is above commit " + header.commit());
        }
        if (pgno == lockPage) {
            throw new LtxFormatException(at, "page " + pgno + " is the lock page, which is never stored");
        }
        if (pgno <= lastPgno) {
            throw new LtxFormatException(at, "page " + pgno + " does not follow page " + lastPgno
                    + " in strictly increasing order");
        }
        if (header.isSnapshot() && pgno != nextSnapshotPage()) {
            throw new LtxFormatException(at, "snapshot pages not contiguous: expected page "
                    + nextSnapshotPage() + ", got " + pgno);
        }
    }

    private long nextSnapshotPage() {
        return header.pageAfter(lastPgno);
    }

    private void finishPages(long zeroHeaderOffset) throws IOException {
        if (header.isSnapshot() && nextSnapshotPage() <= header.commit()) {
            throw new LtxFormatException(zeroHeaderOffset, "snapshot ends before page " + nextSnapshotPage()
                    + " of commit " + header.commit());
        }
        fileCrc.update(new byte[PAGE_HEADER_SIZE], 0, PAGE_HEADER_SIZE);

        ByteArrayOutputStream indexBytes = new ByteArrayOutputStream();
        long indexStart = position;
        for (int i = 0; i < frames.size(); i++) {
            LtxIndexEntry f = frames.get(i);
            long at = position;
            long pgno = readUvarint(indexBytes, "index page number");
            if (pgno == 0) {
                throw new LtxFormatException(at, "page index ends after " + i + " entries, "
                        + frames.size() + " frames were read");
            }
            if (pgno != f.pageNumber()) {
                throw new LtxFormatException(at, "page index entry " + i + " names page " + pgno
                        + ", frame " + i + " holds page " + f.pageNumber());
            }
            at = position;
            long offset = readUvarint(indexBytes, "index frame offset");
            if (offset != f.offset()) {
                throw new LtxFormatException(at, "page index gives offset " + offset + " for page " + pgno
                        + ", its frame is at " + f.offset());
            }
            at = position;
            long size = readUvarint(indexBytes, "index frame size");
            if (size != f.size()) {
                throw new LtxFormatException(at, "page index gives size " + size + " for page " + pgno
                        + ", its frame has " + f.size() + " bytes");
            }
        }
        long at = position;
        if (readUvarint(indexBytes, "index terminator") != 0) {
            throw new LtxFormatException(at, "page index has more entries than the "
                    + frames.size() + " frames read (expected terminating 0)");
        }
        at = position;
        byte[] lengthBytes = readExact(INDEX_LENGTH_SIZE, "page index length");
        long length = getLong(lengthBytes, 0);
        if (length != position - INDEX_LENGTH_SIZE - indexStart) {
            throw new LtxFormatException(at, "page index length " + Long.toUnsignedString(length)
                    + " differs from the " + (position - INDEX_LENGTH_SIZE - indexStart) + " index bytes read");
        }
        byte[] idx = indexBytes.toByteArray();
        fileCrc.update(idx, 0, idx.length).update(lengthBytes, 0, INDEX_LENGTH_SIZE);

        long trailerOffset = position;
        byte[] t = readExact(TRAILER_SIZE, "trailer");
        long post = getLong(t, TRAILER_OFF_POST_APPLY_CHECKSUM);
        long file = getLong(t, TRAILER_OFF_FILE_CHECKSUM);
        long postAt = trailerOffset + TRAILER_OFF_POST_APPLY_CHECKSUM;
        if (header.hasNoChecksum()) {
            if (post != 0) {
                throw new LtxFormatException(postAt, "post-apply checksum must be 0 with the no-checksum flag");
            }
        } else {
            if ((post & LtxChecksums.FLAG) == 0) {
                throw new LtxFormatException(postAt, "post-apply checksum lacks its top bit (FLAG)");
            }
            if (header.isSnapshot() && post != (LtxChecksums.FLAG | snapshotChecksum)) {
                throw new LtxFormatException(postAt, String.format("post-apply checksum %016x differs from"
                        + " the snapshot's pages' database checksum %016x", post, LtxChecksums.FLAG | snapshotChecksum));
            }
        }
        fileCrc.update(t, TRAILER_OFF_POST_APPLY_CHECKSUM, 8);
        long fileAt = trailerOffset + TRAILER_OFF_FILE_CHECKSUM;
        if ((file & LtxChecksums.FLAG) == 0) {
            throw new LtxFormatException(fileAt, "file checksum lacks its top bit (FLAG)");
        }
        long computed = LtxChecksums.FLAG | fileCrc.value();
        if (file != computed) {
            throw new LtxFormatException(fileAt,
                    String.format("file checksum %016x differs from computed %016x", file, computed));
        }
        trailer = new LtxTrailer(post, file);
    }

    private long readUvarint(ByteArrayOutputStream sink, String what) throws IOException {
        long start = position;
        long v = 0;
        for (int i = 0; i < Uvarint.MAX_LENGTH; i++) {
            int b = in.read();
            if (b < 0) {
                throw new LtxFormatException(position, "file ends inside " + what);
            }
            position++;
            sink.write(b);
            if (i == Uvarint.MAX_LENGTH - 1 && b > 1) {
                throw new LtxFormatException(start, what + " varint overflows 64 bits");
            }
            v |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) {
                return v;
            }
        }
        throw new LtxFormatException(start, what + " varint longer than " + Uvarint.MAX_LENGTH + " bytes");
    }

    private byte[] readExact(int len, String what) throws IOException {
        byte[] b = new byte[len];
        readExact(b, len, what);
        return b;
    }

    private void readExact(byte[] b, int len, String what) throws IOException {
        int n = in.readNBytes(b, 0, len);
        if (n < len) {
            throw new LtxFormatException(position + n, "file ends inside " + what + " (" + n + " of " + len
                    + " bytes)");
        }
        position += len;
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int off) {
        return (long) getInt(b, off) << 32 | (getInt(b, off + 4) & 0xFFFFFFFFL);
    }
}
