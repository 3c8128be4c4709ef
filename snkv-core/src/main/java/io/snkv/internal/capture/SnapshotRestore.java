package io.snkv.internal.capture;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import io.snkv.ltx.LtxChecksums;
import io.snkv.ltx.LtxDecoder;
import io.snkv.ltx.LtxFormatException;
import io.snkv.ltx.LtxHeader;
import io.snkv.ltx.LtxPageFrame;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Creates a database file from a snapshot LTX file: the image is written to {@code <database>.tmp},
 * verified, fsynced and renamed into place (then the directory is fsynced), so the database appears
 * whole or not at all. Refuses to overwrite an existing database: apply the snapshot to an open store
 * for that.
 */
public final class SnapshotRestore {
    private SnapshotRestore() {
    }

    public static LtxPosition restore(Storage storage, Path snapshot, Path database) {
        for (String suffix : new String[] {"", "-wal", "-journal"}) {
            Path p = database.resolveSibling(database.getFileName() + suffix);
            if (storage.exists(p)) {
                throw new KVException(ErrorCode.ERROR, "cannot restore into " + database + ": " + p
                        + " exists (apply the snapshot to the open store instead)");
            }
        }
        Path tmp = database.resolveSibling(database.getFileName() + ".tmp");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(snapshot), 64 * 1024)) {
            LtxDecoder dec = new LtxDecoder(in);
            LtxHeader h = dec.header();
            if (!h.isSnapshot()) {
                throw new KVException(ErrorCode.ERROR, snapshot + " is not a snapshot (min TXID "
                        + Long.toUnsignedString(h.minTxid()) + ", not 1)");
            }
            if (h.hasNoChecksum()) {
                throw new KVException(ErrorCode.ERROR, snapshot + " has no checksums; only checksummed files can be restored");
            }
            long c = 0;
            try (StorageFile f = storage.open(tmp, false, true)) {
                f.truncate(0);
                for (LtxPageFrame fr; (fr = dec.readPage()) != null; ) {
                    c ^= LtxChecksums.pageChecksum(fr.pageNumber(), fr.data());
                    f.write((fr.pageNumber() - 1) * h.pageSize(), fr.data(), 0, h.pageSize());
                }
                if (in.read() != -1) {
                    throw new KVException(ErrorCode.CORRUPT, snapshot + " has bytes after its trailer");
                }
                c |= LtxChecksums.FLAG;
                if (c != dec.trailer().postApplyChecksum()) {
                    throw new KVException(ErrorCode.CORRUPT, String.format("%s: pages have checksum %016x, trailer says %016x",
                            snapshot, c, dec.trailer().postApplyChecksum()));
                }
                f.truncate(h.commit() * h.pageSize());
                f.sync();
            }
            storage.rename(tmp, database);
            storage.syncDirectory(database.toAbsolutePath().getParent());
            return new LtxPosition(h.maxTxid(), c);
        } catch (LtxFormatException e) {
            throw new KVException(ErrorCode.CORRUPT, "LTX file " + snapshot + " is invalid at offset " + e.offset()
                    + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new KVException(ErrorCode.NOTFOUND, "no such file: " + e.getFile(), e);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "restoring " + database + " from " + snapshot + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (storage.exists(tmp)) {
                try {
                    storage.delete(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover .tmp is harmless
                }
            }
        }
    }
}
