package io.snkv.ltx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Factory;

/**
 * Test-only writer that obeys no rules except correct checksums, so the decoder's own checks (not
 * just the file checksum) can be exercised on files the real encoder refuses to write.
 */
final class RawLtxWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Crc64Iso crc = new Crc64Iso();
    private final List<long[]> index = new ArrayList<>();

    RawLtxWriter(LtxHeader h) {
        put(h.toBytes(), true);
    }

    /** A page the older way: frame flags 0, the page as one LZ4 frame (written by lz4-java), no size prefix. */
    RawLtxWriter legacyPage(long pgno, byte[] data, net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits... bits) {
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        try (var lz = new net.jpountz.lz4.LZ4FrameOutputStream(frame, net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                data.length, bits)) {
            lz.write(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return legacyFrame(pgno, data, frame.toByteArray());
    }

    /** A flags-0 page frame with the given LZ4 frame bytes (checksummed as the data's pages). */
    RawLtxWriter legacyFrame(long pgno, byte[] data, byte[] frame) {
        long off = out.size();
        put(ByteBuffer.allocate(6).putInt((int) pgno).putShort((short) 0).array(), true);
        crc.update(data, 0, data.length);
        put(frame, false);
        index.add(new long[] {pgno, off, out.size() - off});
        return this;
    }

    RawLtxWriter page(long pgno, int flags, byte[] data) {
        byte[] c = LZ4Factory.safeInstance().fastCompressor().compress(data);
        long off = out.size();
        byte[] hdr = ByteBuffer.allocate(10).putInt((int) pgno).putShort((short) flags).putInt(c.length).array();
        put(hdr, true);
        crc.update(data, 0, data.length);
        put(c, false);
        index.add(new long[] {pgno, off, out.size() - off});
        return this;
    }

    byte[] finish(long post, long extraIndexPgno) {
        put(new byte[6], true);
        ByteArrayOutputStream idx = new ByteArrayOutputStream();
        for (long[] e : index) {
            for (long v : e) {
                Uvarint.write(idx, v);
            }
        }
        if (extraIndexPgno != 0) {
            Uvarint.write(idx, extraIndexPgno);
            Uvarint.write(idx, 1);
            Uvarint.write(idx, 1);
        }
        Uvarint.write(idx, 0);
        put(idx.toByteArray(), true);
        put(ByteBuffer.allocate(8).putLong(idx.size()).array(), true);
        put(ByteBuffer.allocate(8).putLong(post).array(), true);
        put(ByteBuffer.allocate(8).putLong(LtxChecksums.FLAG | crc.value()).array(), false);
        return out.toByteArray();
    }

    private void put(byte[] b, boolean checksummed) {
        out.writeBytes(b);
        if (checksummed) {
            crc.update(b, 0, b.length);
        }
    }
}
