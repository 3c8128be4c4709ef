package io.snkv.ltx;

import static io.snkv.ltx.LtxLayout.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes one LTX v3 file to an {@link OutputStream}: the header at construction, then
 * {@link #writePage} per page in strictly increasing page number, then {@link #finish}. The encoder
 * does not buffer the pages and does not close the stream (the caller owns it). Not thread-safe.
 *
 * <p>Refuses, with {@link IllegalArgumentException} or {@link IllegalStateException}, anything that
 * would make an invalid file: a bad header, pages out of order, the lock page, a page above
 * {@code commit}, a snapshot with a gap or missing pages, a wrong post-apply checksum for a snapshot.
 */
public final class LtxEncoder {

    private final OutputStream out;
    private final LtxHeader header;
    private final long lockPage;
    private final Crc64Iso fileCrc = new Crc64Iso();
    private final byte[] compressed;
    private final PageCompressor compressor = new PageCompressor();
    private final List<LtxIndexEntry> index = new ArrayList<>();
    private long position;
    private long lastPgno;
    private long snapshotChecksum;
    private boolean finished;

    public LtxEncoder(OutputStream out, LtxHeader header) throws IOException {
        this.out = Objects.requireNonNull(out);
        this.header = Objects.requireNonNull(header);
        try {
            header.validate();
        } catch (LtxFormatException e) {
            throw new IllegalArgumentException("invalid header: " + e.getMessage(), e);
        }
        this.lockPage = header.lockPage();
        this.compressed = new byte[PageCompressor.maxCompressedLength(header.pageSize())];
        byte[] h = header.toBytes();
        write(h, 0, h.length);
        fileCrc.update(h, 0, h.length);
    }

    public LtxHeader header() {
        return header;
    }

    /** Writes one page of exactly page size bytes. */
    public void writePage(long pgno, byte[] data) throws IOException {
        writePage(pgno, data, Crc64Iso.raw(data, 0, data.length));
    }

    /**
     * Writes one page whose {@link Crc64Iso#raw} CRC the caller has computed already (for its own page
     * checksum): the page is then not hashed again. A wrong {@code rawCrc} makes a file whose checksum fails.
     */
    public void writePage(long pgno, byte[] data, long rawCrc) throws IOException {
        checkPage(pgno, data);
        int n = compressor.compress(data, data.length, compressed);
        writeFrame(pgno, data, rawCrc, compressed, n);
    }

    /**
     * Writes one page compressed by the caller with a {@link PageCompressor} (so that pages can be
     * compressed on several threads and written in order here). {@code block} must be an LZ4 block of
     * exactly {@code data}; the decoder of any reader rejects a file where it is not.
     */
    public void writeCompressedPage(long pgno, byte[] data, long rawCrc, byte[] block, int blockLength) throws IOException {
        checkPage(pgno, data);
        if (blockLength < 1 || blockLength > PageCompressor.maxCompressedLength(data.length) || blockLength > block.length) {
            throw new IllegalArgumentException("compressed length " + blockLength + " out of range for page " + pgno);
        }
        writeFrame(pgno, data, rawCrc, block, blockLength);
    }

    private void checkPage(long pgno, byte[] data) {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        Objects.requireNonNull(data);
        if (data.length != header.pageSize()) {
            throw new IllegalArgumentException("page " + pgno + " has " + data.length + " bytes, page size is "
                    + header.pageSize());
        }
        if (pgno < 1) {
            throw new IllegalArgumentException("page number " + pgno + " must be >= 1");
        }
        if (pgno > header.commit()) {
            throw new IllegalArgumentException("page " + pgno + " is above commit " + header.commit());
        }
        if (pgno == lockPage) {
            throw new IllegalArgumentException("page " + pgno + " is the lock page and is never written");
        }
        if (pgno <= lastPgno) {
            throw new IllegalArgumentException("page " + pgno + " does not follow page " + lastPgno
                    + " in strictly increasing order");
        }
        if (header.isSnapshot() && pgno != nextSnapshotPage()) {
            throw new IllegalArgumentException("snapshot must hold every page: expected page "
                    + nextSnapshotPage() + ", got " + pgno);
        }
    }

    private void writeFrame(long pgno, byte[] data, long rawCrc, byte[] compressed, int n) throws IOException {
        byte[] frameHeader = new byte[PAGE_HEADER_SIZE + SIZE_PREFIX_SIZE];
        putInt(frameHeader, FRAME_OFF_PGNO, (int) pgno);
        frameHeader[FRAME_OFF_FLAGS] = (byte) (FRAME_FLAG_SIZE >>> 8);
        frameHeader[FRAME_OFF_FLAGS + 1] = (byte) FRAME_FLAG_SIZE;
        putInt(frameHeader, FRAME_OFF_SIZE, n);
        long frameOffset = position;
        write(frameHeader, 0, frameHeader.length);
        write(compressed, 0, n);
        fileCrc.update(frameHeader, 0, frameHeader.length).updateRaw(rawCrc, data.length);
        index.add(new LtxIndexEntry(pgno, frameOffset, position - frameOffset));
        if (header.isSnapshot()) {
            snapshotChecksum ^= LtxChecksums.pageChecksumFromRaw(pgno, rawCrc, data.length);
        }
        lastPgno = pgno;
    }

    private long nextSnapshotPage() {
        return header.pageAfter(lastPgno);
    }

    /**
     * Writes the end of the page block, the index and the trailer, and flushes the stream.
     *
     * @param postApplyChecksum the database checksum after applying (FLAG set), or 0 with the
     *     no-checksum header flag
     * @return the trailer written
     */
    public LtxTrailer finish(long postApplyChecksum) throws IOException {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        if (header.hasNoChecksum()) {
            if (postApplyChecksum != 0) {
                throw new IllegalArgumentException("post-apply checksum must be 0 with the no-checksum flag");
            }
        } else if ((postApplyChecksum & LtxChecksums.FLAG) == 0) {
            throw new IllegalArgumentException("post-apply checksum must have its top bit set");
        }
        if (header.isSnapshot()) {
            if (nextSnapshotPage() <= header.commit()) {
                throw new IllegalStateException("snapshot is missing pages from " + nextSnapshotPage()
                        + " to commit " + header.commit());
            }
            long computed = LtxChecksums.FLAG | snapshotChecksum;
            if (!header.hasNoChecksum() && postApplyChecksum != computed) {
                throw new IllegalArgumentException(String.format(
                        "post-apply checksum %016x differs from the snapshot's pages' checksum %016x",
                        postApplyChecksum, computed));
            }
        }
        finished = true;
        byte[] zero = new byte[PAGE_HEADER_SIZE];
        write(zero, 0, zero.length);
        fileCrc.update(zero, 0, zero.length);

        ByteArrayOutputStream idx = new ByteArrayOutputStream();
        for (LtxIndexEntry e : index) {
            Uvarint.write(idx, e.pageNumber());
            Uvarint.write(idx, e.offset());
            Uvarint.write(idx, e.size());
        }
        Uvarint.write(idx, 0);
        byte[] entries = idx.toByteArray();
        byte[] tail = new byte[entries.length + INDEX_LENGTH_SIZE + 8];
        System.arraycopy(entries, 0, tail, 0, entries.length);
        putLong(tail, entries.length, entries.length);
        putLong(tail, entries.length + INDEX_LENGTH_SIZE, postApplyChecksum);
        fileCrc.update(tail, 0, tail.length);
        long fileChecksum = LtxChecksums.FLAG | fileCrc.value();
        write(tail, 0, tail.length);
        byte[] f = new byte[8];
        putLong(f, 0, fileChecksum);
        write(f, 0, 8);
        out.flush();
        return new LtxTrailer(postApplyChecksum, fileChecksum);
    }

    /** The index entries of the frames written so far. */
    public List<LtxIndexEntry> index() {
        return List.copyOf(index);
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }
}
