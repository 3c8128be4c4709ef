package io.snkv.internal.capture;

import io.snkv.ErrorCode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.internal.pager.Pager;
import io.snkv.internal.pager.WriteTxn;
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
 * Applies an LTX file to a database as one write transaction: the file is decoded and verified as it
 * is read (every rule of the format, its file checksum), its pre-apply checksum must equal the
 * database's, and the database checksum it produces must equal its post-apply checksum; otherwise
 * nothing is committed. Readers in any process see the database before or after, never between.
 */
public final class LtxApply {
    private LtxApply() {
    }

    /** What a file did to a transaction. */
    record Result(LtxHeader header, LtxPosition after, long computed) {
        boolean matchesTrailer() {
            return computed == after.checksum();
        }
    }

    /** Old page checksums, from a cache or hashed. */
    interface CommittedChecksums {
        long of(WriteTxn t, int pgno);
    }

    /**
     * Applies {@code file} through {@code pager}, recording it in {@code log} when the store keeps one
     * (moved there with {@code move}, else copied).
     *
     * @return the database's position afterwards (without a log: the file's max TXID and the checksum)
     */
    public static LtxPosition apply(Pager pager, ChangeLog log, Path file, boolean move) {
        LtxHeader h = readHeader(file);
        if (h.hasNoChecksum()) {
            throw new KVException(ErrorCode.ERROR, "LTX file " + file + " has no checksums; only checksummed files can be applied");
        }
        if (h.pageSize() != pager.pageSize()) {
            throw new KVException(ErrorCode.ERROR, "LTX file " + file + " has page size " + h.pageSize() + " but "
                    + pager.path() + " has " + pager.pageSize() + "; restore the snapshot into a new database instead");
        }
        WriteTxn t = pager.beginWrite();
        try {
            LtxPosition current;
            if (log != null) {
                current = log.position();
                if (!h.isSnapshot() && h.minTxid() != current.txid() + 1) {
                    throw new KVException(ErrorCode.ERROR, "LTX file " + file + " starts at TXID "
                            + Long.toUnsignedString(h.minTxid()) + " but " + pager.path() + " is at TXID "
                            + Long.toUnsignedString(current.txid()));
                }
            } else {
                current = new LtxPosition(0, h.isSnapshot() ? 0 : fullChecksum(t));
            }
            CommittedChecksums old = log != null ? log::committedChecksum
                    : (tx, pg) -> LtxChecksums.pageChecksum(pg, tx.committedPage(pg));
            Result r = intoTransaction(t, file, current, old);
            if (log != null) {
                log.plan(file, h, r.after(), move);
            }
            try {
                t.commit();
            } finally {
                if (log != null) {
                    log.unplan();
                }
            }
            return r.after();
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "applying " + file + " to " + pager.path() + " failed: " + e.getMessage(), e);
        } finally {
            if (t.isActive()) {
                t.rollback();
            }
        }
    }

    /**
     * Applies consecutive LTX files (no snapshots) through {@code pager} as ONE write transaction, each verified
     * as {@link #apply} verifies one (pre-apply checksum, the result's checksum against its trailer), each joining
     * {@code log} as its own file: readers see the state before the first or after the last. A replica that has
     * fallen behind catches up this way without a commit per file.
     *
     * @return the position after each file
     */
    public static java.util.List<LtxPosition> applyAll(Pager pager, ChangeLog log, java.util.List<Path> files, boolean move) {
        if (log == null || files.isEmpty()) {
            throw new IllegalArgumentException("applying files together needs change capture and at least one file");
        }
        java.util.List<LtxHeader> headers = new java.util.ArrayList<>();
        for (Path f : files) {
            LtxHeader h = readHeader(f);
            if (h.hasNoChecksum() || h.isSnapshot() || h.pageSize() != pager.pageSize()) {
                throw new KVException(ErrorCode.ERROR, "LTX file " + f + " cannot be applied with others (a snapshot, "
                        + "no checksums, or page size " + h.pageSize() + " where the database has " + pager.pageSize() + ")");
            }
            headers.add(h);
        }
        WriteTxn t = pager.beginWrite();
        try {
            LtxPosition current = log.position();
            java.util.Map<Integer, Long> written = new java.util.HashMap<>();
            CommittedChecksums old = (tx, pg) -> {
                Long s = written.get(pg);
                return s != null ? s : log.committedChecksum(tx, pg);
            };
            java.util.List<LtxPosition> after = new java.util.ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                LtxHeader h = headers.get(i);
                if (h.minTxid() != current.txid() + 1) {
                    throw new KVException(ErrorCode.ERROR, "LTX file " + files.get(i) + " starts at TXID "
                            + Long.toUnsignedString(h.minTxid()) + " but " + pager.path() + " is at TXID "
                            + Long.toUnsignedString(current.txid()));
                }
                current = intoTransaction(t, files.get(i), current, old, written).after();
                after.add(current);
            }
            log.planAll(files, headers, current, move);
            try {
                t.commit();
            } finally {
                log.unplan();
            }
            return after;
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "applying " + files.size() + " files to " + pager.path() + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (t.isActive()) {
                t.rollback();
            }
        }
    }

    /**
     * Decodes {@code file} into {@code t}, committing its pages exactly as given. With {@code current}
     * the pre-apply checksum must equal it (snapshots excepted) and the result is checked incrementally,
     * a mismatch throwing; without it (rolling a commit forward) the result's full checksum is computed
     * and returned for the caller to judge.
     */
    static Result intoTransaction(WriteTxn t, Path file, LtxPosition current, CommittedChecksums old) {
        return intoTransaction(t, file, current, old, null);
    }

    /**
     * As {@link #intoTransaction(WriteTxn, Path, LtxPosition, CommittedChecksums)}; the file may follow others in
     * {@code t} (its "before" is what they left), and {@code written}, when given, receives each page's new
     * checksum, which is what the next file of the same transaction must take as that page's old one.
     */
    static Result intoTransaction(WriteTxn t, Path file, LtxPosition current, CommittedChecksums old,
                                  java.util.Map<Integer, Long> written) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            LtxDecoder dec = new LtxDecoder(in);
            LtxHeader h = dec.header();
            if (h.pageSize() != t.pageSize()) {
                throw new KVException(ErrorCode.ERROR, "LTX file " + file + " has page size " + h.pageSize()
                        + ", the database " + t.pageSize());
            }
            if (current != null && !h.isSnapshot() && h.preApplyChecksum() != current.checksum()) {
                throw new KVException(ErrorCode.ERROR, String.format("LTX file %s does not apply here: its pre-apply "
                        + "checksum is %016x, the database's checksum is %016x", file, h.preApplyChecksum(), current.checksum()));
            }
            if (h.commit() > Integer.MAX_VALUE) {
                throw new KVException(ErrorCode.ERROR, "LTX file " + file + " has commit " + h.commit() + " pages, too many");
            }
            int commit = (int) h.commit();
            int start = t.pageCount(); // where earlier files of this transaction left it
            long lock = LtxChecksums.lockPage(t.pageSize());
            boolean incremental = current != null && !h.isSnapshot();
            long c = incremental ? current.checksum() : 0;
            if (incremental) {
                for (int pg = commit + 1; pg <= start; pg++) {
                    if (pg != lock) {
                        c ^= old.of(t, pg);
                    }
                }
            }
            t.commitPagesAsGiven();
            t.setPageCount(commit);
            for (LtxPageFrame f; (f = dec.readPage()) != null; ) {
                int pg = (int) f.pageNumber();
                if (incremental) {
                    long fresh = LtxChecksums.pageChecksum(pg, f.data());
                    c ^= (pg <= start ? old.of(t, pg) : 0) ^ fresh;
                    if (written != null) {
                        written.put(pg, fresh);
                    }
                } else if (h.isSnapshot()) {
                    c ^= LtxChecksums.pageChecksum(pg, f.data());
                }
                byte[] w = t.fresh(pg);
                System.arraycopy(f.data(), 0, w, 0, w.length);
            }
            if (in.read() != -1) {
                throw new KVException(ErrorCode.CORRUPT, "LTX file " + file + " has bytes after its trailer (offset "
                        + dec.position() + ")");
            }
            if (current == null && !h.isSnapshot()) {
                c = DatabaseChecksum.of(commit, t.pageSize(), pg -> LtxChecksums.pageChecksum(pg, t.page(pg)));
            }
            c |= LtxChecksums.FLAG;
            long post = dec.trailer().postApplyChecksum();
            if (current != null && c != post) {
                throw new KVException(ErrorCode.ERROR, String.format("LTX file %s leaves the database with checksum "
                        + "%016x, not its post-apply checksum %016x: not applied", file, c, post));
            }
            return new Result(h, new LtxPosition(h.maxTxid(), post), c);
        } catch (LtxFormatException e) {
            throw new KVException(ErrorCode.CORRUPT, "LTX file " + file + " is invalid at offset " + e.offset()
                    + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new KVException(ErrorCode.NOTFOUND, "no such LTX file: " + file, e);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "reading LTX file " + file + " failed: " + e.getMessage(), e);
        }
    }

    static LtxHeader readHeader(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new LtxDecoder(in).header();
        } catch (LtxFormatException e) {
            throw new KVException(ErrorCode.CORRUPT, "LTX file " + file + " is invalid at offset " + e.offset()
                    + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new KVException(ErrorCode.NOTFOUND, "no such LTX file: " + file, e);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "reading LTX file " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** The database checksum of the state {@code t} started from. */
    static long fullChecksum(WriteTxn t) {
        return DatabaseChecksum.of(t.startPageCount(), t.pageSize(), pg -> LtxChecksums.pageChecksum(pg, t.committedPage(pg)));
    }
}
