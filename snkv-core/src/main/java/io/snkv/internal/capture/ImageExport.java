package io.snkv.internal.capture;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.internal.pager.Pager;
import io.snkv.internal.pager.Snapshot;
import io.snkv.ltx.LtxChecksums;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A raw image of one committed state of a live database (the bytes a checkpointed database file holds: pages
 * 1..n, page size each), read from a {@link PositionedRead}, so its position is known before the first byte
 * is written and writers go on committing meanwhile (WAL mode). Pages are copied one at a time; nothing is
 * built in memory. One thread at a time; close it to end the read transaction.
 */
public final class ImageExport implements AutoCloseable {
    private final Pager pager;
    private final PositionedRead read;
    private final LtxPosition position;

    private ImageExport(Pager pager, PositionedRead read, LtxPosition position) {
        this.pager = pager;
        this.read = read;
        this.position = position;
    }

    /**
     * @param log the store's change log, or null: then the position is TXID 0 and the state's checksum (every
     *            page is hashed once here)
     */
    public static ImageExport open(Pager pager, ChangeLog log) {
        PositionedRead r = PositionedRead.begin(pager, log);
        try {
            LtxPosition p = r.position() != null ? r.position()
                    : new LtxPosition(0, PositionedRead.checksum(r.snapshot(), pager.pageSize()));
            return new ImageExport(pager, r, p);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The TXID and checksum of the state the image holds. */
    public LtxPosition position() {
        return position;
    }

    public int pageSize() {
        return pager.pageSize();
    }

    public int pageCount() {
        return read.snapshot().pageCount();
    }

    /**
     * Writes the image to {@code out} (not closed). The pages are hashed on the way: should they not add up to
     * {@link #position()}'s checksum, the last page is withheld and a {@link KVException} (CORRUPT) thrown, so a
     * reader of the bytes sees a short image, never a whole one under a wrong position.
     */
    public void writeTo(OutputStream out) throws IOException {
        Snapshot s = read.snapshot();
        int n = s.pageCount();
        long lock = LtxChecksums.lockPage(pager.pageSize());
        long c = 0;
        for (int pg = 1; pg <= n; pg++) {
            byte[] d = s.page(pg);
            if (pg != lock) {
                c ^= LtxChecksums.pageChecksum(pg, d);
            }
            if (pg == n && position.checksum() != 0 && (c | LtxChecksums.FLAG) != position.checksum()) {
                throw new KVException(ErrorCode.CORRUPT, String.format("%s: its pages have checksum %016x but its "
                        + "change log says %016x at TXID %d", pager.path(), c | LtxChecksums.FLAG, position.checksum(),
                        position.txid()));
            }
            out.write(d);
        }
    }

    @Override
    public void close() {
        read.close();
    }
}
