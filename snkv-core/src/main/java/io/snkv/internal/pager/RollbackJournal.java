package io.snkv.internal.pager;

import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code <db>-journal} rollback journal, in SQLite's format: a header padded to one sector, then
 * one record per original page.
 * <pre>
 * header: 0 magic d9 d5 05 f9 20 a1 63 d7 | 8 record count (0xffffffff: as many as the file holds)
 *         12 checksum nonce | 16 database size in pages before the transaction | 20 sector size
 *         24 page size | zero padding to the sector size
 * record: 4-byte page number | original page | 4-byte checksum = nonce + the page's bytes at
 *         offsets pageSize-200, pageSize-400, ... (each > 0), as unsigned bytes
 * </pre>
 * A journal that exists with a valid header is hot: the transaction that wrote it did not finish, and
 * playing its records back (in order, stopping at the first bad checksum) then truncating the
 * database to the recorded size restores the state before it. Deleting the journal is the commit.
 * A journal may hold several header+records segments, each starting on a sector boundary.
 */
final class RollbackJournal {
    static final byte[] MAGIC = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63, (byte) 0xd7};
    /** Sector size written in our headers: SQLite's unix default. */
    static final int SECTOR_SIZE = 4096;

    private RollbackJournal() {
    }

    static Path pathFor(Path db) {
        return db.resolveSibling(db.getFileName() + "-journal");
    }

    static int checksum(int nonce, byte[] page, int pageSize) {
        int ck = nonce;
        for (int i = pageSize - 200; i > 0; i -= 200) {
            ck += page[i] & 0xff;
        }
        return ck;
    }

    /**
     * Writes a complete journal holding the original pages, then syncs it as the sync level asks.
     *
     * @param fullSync sync twice (SQLite's FULL): once after the records, once after the header
     */
    static void write(Storage storage, Path path, int pageSize, int originalSize, int[] pgnos, byte[][] originals,
                      int count, boolean sync, boolean fullSync) throws IOException {
        int nonce = new java.util.Random().nextInt();
        int recordSize = pageSize + 8;
        byte[] buf = new byte[SECTOR_SIZE + count * recordSize];
        System.arraycopy(MAGIC, 0, buf, 0, 8);
        WalFile.put32(buf, 8, fullSync ? 0 : count);
        WalFile.put32(buf, 12, nonce);
        WalFile.put32(buf, 16, originalSize);
        WalFile.put32(buf, 20, SECTOR_SIZE);
        WalFile.put32(buf, 24, pageSize);
        for (int i = 0; i < count; i++) {
            int off = SECTOR_SIZE + i * recordSize;
            WalFile.put32(buf, off, pgnos[i]);
            System.arraycopy(originals[i], 0, buf, off + 4, pageSize);
            WalFile.put32(buf, off + 4 + pageSize, checksum(nonce, originals[i], pageSize));
        }
        try (StorageFile f = storage.open(path, false, true)) {
            f.truncate(0);
            f.write(0, buf, 0, buf.length);
            if (fullSync) {
                // FULL: records reach the disk before the header that makes them count.
                f.sync();
                byte[] n = new byte[4];
                WalFile.put32(n, 0, count);
                f.write(8, n, 0, 4);
            }
            if (sync) {
                f.sync();
            }
        }
        if (fullSync) {
            storage.syncDirectory(path.toAbsolutePath().getParent());
        }
    }

    /** Whether a journal exists that must be played back. */
    static boolean isHot(Storage storage, Path path) throws IOException {
        if (!storage.exists(path)) {
            return false;
        }
        try (StorageFile f = storage.open(path, true, false)) {
            byte[] m = new byte[8];
            return f.size() >= 28 && f.read(0, m, 0, 8) == 8 && Arrays.equals(m, MAGIC);
        }
    }

    /**
     * Plays a hot journal back into {@code db}: writes each valid record's page, truncates the database
     * to the size before the transaction, syncs it, and deletes the journal.
     */
    static void rollback(Storage storage, Path path, StorageFile db, int dbPageSize) throws IOException {
        try (StorageFile f = storage.open(path, true, false)) {
            long size = f.size();
            long off = 0;
            int originalSize = -1;
            byte[] hdr = new byte[28];
            while (off + 28 <= size) {
                if (f.read(off, hdr, 0, 28) != 28 || !Arrays.equals(Arrays.copyOf(hdr, 8), MAGIC)) {
                    break;
                }
                int nRec = WalFile.u32(hdr, 8);
                int nonce = WalFile.u32(hdr, 12);
                int segSize = WalFile.u32(hdr, 16);
                int sector = WalFile.u32(hdr, 20);
                int ps = WalFile.u32(hdr, 24);
                if (sector < 32 || sector > 65536 || Integer.bitCount(sector) != 1 || ps < 512 || ps > 65536
                        || Integer.bitCount(ps) != 1 || (dbPageSize > 0 && ps != dbPageSize)) {
                    break;
                }
                if (originalSize < 0) {
                    originalSize = segSize;
                }
                long recSize = ps + 8L;
                long recStart = off + sector;
                long available = Math.max(0, (size - recStart) / recSize);
                long n = nRec == -1 ? available : (nRec == 0 && off == 0 ? available : Math.min(nRec & 0xffffffffL, available));
                byte[] page = new byte[ps];
                byte[] four = new byte[4];
                boolean torn = false;
                for (long i = 0; i < n; i++) {
                    long r = recStart + i * recSize;
                    f.read(r, four, 0, 4);
                    int pgno = WalFile.u32(four, 0);
                    f.read(r + 4, page, 0, ps);
                    f.read(r + 4 + ps, four, 0, 4);
                    if (pgno <= 0 || WalFile.u32(four, 0) != checksum(nonce, page, ps)) {
                        torn = true;
                        break;
                    }
                    if (pgno <= segSize) {
                        db.write((long) (pgno - 1) * ps, page, 0, ps);
                    }
                }
                if (torn) {
                    break;
                }
                long next = recStart + n * recSize;
                off = (next + sector - 1) / sector * sector;
            }
            if (originalSize >= 0) {
                int ps = dbPageSize > 0 ? dbPageSize : WalFile.u32(hdr, 24);
                db.truncate((long) originalSize * ps);
                db.sync();
            }
        }
        storage.delete(path);
        storage.syncDirectory(path.toAbsolutePath().getParent());
    }
}
