package io.snkv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Writes a hot rollback journal in SQLite's format ("Database File Format", section "The Rollback Journal"),
 * as a writer leaves it when it crashes mid-transaction: a header padded to one sector, then records of
 * {@code [page number][original page][checksum]}. Opening the database must play the records back (restore
 * each page, truncate the file to the original size) before anything is read.
 */
final class RollbackJournalWriter {
    static final long MAGIC = 0xd9d505f920a163d7L;
    static final int SECTOR_SIZE = 512;

    private final int pageSize;
    private final int originalPageCount;
    private final int nonce;
    private final ByteArrayOutputStream records = new ByteArrayOutputStream();
    private int recordCount;

    /**
     * @param originalPageCount the database size, in pages, before the crashed transaction began
     * @param nonce             the journal's checksum initialiser
     */
    RollbackJournalWriter(int pageSize, int originalPageCount, int nonce) {
        this.pageSize = pageSize;
        this.originalPageCount = originalPageCount;
        this.nonce = nonce;
    }

    /** Adds a record restoring {@code page} to {@code original}; {@code breakChecksum} stores a wrong checksum. */
    RollbackJournalWriter record(int page, byte[] original, boolean breakChecksum) {
        if (original.length != pageSize) {
            throw new IllegalArgumentException("page image has " + original.length + " bytes, not " + pageSize);
        }
        ByteBuffer r = ByteBuffer.allocate(4 + pageSize + 4);
        r.putInt(page).put(original).putInt(checksum(original) + (breakChecksum ? 1 : 0));
        records.writeBytes(r.array());
        recordCount++;
        return this;
    }

    byte[] toBytes() {
        ByteBuffer header = ByteBuffer.allocate(SECTOR_SIZE);
        header.putLong(MAGIC).putInt(recordCount).putInt(nonce).putInt(originalPageCount)
                .putInt(SECTOR_SIZE).putInt(pageSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(records.toByteArray());
        return out.toByteArray();
    }

    /** SQLite's journal record checksum: the nonce plus every 200th byte counted back from the page end. */
    private int checksum(byte[] page) {
        int sum = nonce;
        for (int i = pageSize - 200; i > 0; i -= 200) {
            sum += page[i] & 0xff;
        }
        return sum;
    }
}
