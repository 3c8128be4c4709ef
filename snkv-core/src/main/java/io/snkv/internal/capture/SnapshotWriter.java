package io.snkv.internal.capture;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.internal.pager.Pager;
import io.snkv.internal.pager.Snapshot;
import io.snkv.ltx.Crc64Iso;
import io.snkv.ltx.LtxChecksums;
import io.snkv.ltx.LtxEncoder;
import io.snkv.ltx.LtxHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;

/**
 * Writes a snapshot LTX file (min TXID 1, every page but the lock page) of a live database, from a
 * {@link PositionedRead}: in WAL mode writers go on committing while the pages are copied. (In
 * rollback-journal mode the read transaction's SHARED lock keeps writers from committing until the copy
 * is done, as any reader does there.)
 */
public final class SnapshotWriter {
    private SnapshotWriter() {
    }

    /**
     * @param log the store's change log, or null: then the snapshot is TXID 1 of the database as it is
     * @return the position the snapshot holds
     */
    public static LtxPosition write(Pager pager, ChangeLog log, long nodeId, Clock clock, OutputStream out) {
        try (PositionedRead read = PositionedRead.begin(pager, log)) {
            Snapshot snap = read.snapshot();
            LtxPosition p = read.position();
            if (p != null && p.txid() == 0) {
                throw new KVException(ErrorCode.ERROR, pager.path() + " has no committed transaction to snapshot");
            }
            long txid = p != null ? p.txid() : 1;
            int n = snap.pageCount();
            LtxHeader h = new LtxHeader(0, pager.pageSize(), n, 1, txid, clock.millis(), 0, 0, 0, 0, 0, nodeId);
            LtxEncoder enc = new LtxEncoder(out, h);
            long c = 0;
            for (int pg = 1; pg <= n; pg = (int) h.pageAfter(pg)) {
                byte[] d = snap.page(pg);
                long raw = Crc64Iso.raw(d, 0, d.length); // one pass serves the page and the file checksum
                c ^= LtxChecksums.pageChecksumFromRaw(pg, raw, d.length);
                enc.writePage(pg, d, raw);
            }
            c |= LtxChecksums.FLAG;
            if (p != null && c != p.checksum()) {
                throw new KVException(ErrorCode.CORRUPT, String.format("%s: its pages have checksum %016x but its "
                        + "change log says %016x at TXID %d", pager.path(), c, p.checksum(), p.txid()));
            }
            enc.finish(c);
            return new LtxPosition(txid, c);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "writing a snapshot of " + pager.path() + " failed: " + e.getMessage(), e);
        }
    }

    /** The database checksum of the latest committed state, every page hashed. */
    public static long checksum(Pager pager) {
        try (Snapshot s = pager.beginRead()) {
            return PositionedRead.checksum(s, pager.pageSize());
        }
    }
}
