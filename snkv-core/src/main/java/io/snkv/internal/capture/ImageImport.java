package io.snkv.internal.capture;

import io.snkv.ErrorCode;
import io.snkv.InvalidImageException;
import io.snkv.JournalMode;
import io.snkv.KVException;
import io.snkv.LtxPosition;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import io.snkv.internal.pager.DatabaseHeader;
import io.snkv.internal.pager.Pager;
import io.snkv.internal.pager.WriteTxn;
import io.snkv.ltx.LtxChecksums;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Replaces a database with a raw image (the bytes of a database file: pages 1..n, page size each) as one
 * ordinary write transaction: every page of the image is written and the database size set to the image's,
 * so the change log records one file holding every page (a snapshot when it is the database's first
 * transaction) and readers in every process see the old database or the new one, never a mix.
 *
 * <h2>Page 1</h2>
 * The image's pages are committed as given ({@link WriteTxn#commitPagesAsGiven}): the pager does not stamp
 * page 1, so the change counter (offset 24), SNKV's default root page (offset 40) and every other byte stay
 * as sent, with two exceptions that other connections' correctness needs:
 * <ul>
 * <li>Offsets 18 and 19 (file format versions: 1 rollback journal, 2 WAL) are set to the journal mode the
 *     database is in. Connections opening the file later choose their mode from them; an image from a database
 *     in the other mode would otherwise let one connection use the WAL while another ignores it. (SQLite's
 *     backup API likewise sets them to 2 when the destination is in WAL mode.)</li>
 * <li>In rollback-journal mode only, an image whose change counter equals the database's is given the next
 *     counter (and offset 92, the version-valid-for number, follows it when it equalled the counter): readers
 *     there (SQLite's and this pager's) tell another connection's commit only by that counter moving, and would
 *     go on reading stale cached pages. WAL-mode readers do not depend on it, so there it always stays.</li>
 * </ul>
 *
 * <h2>What must match</h2>
 * An existing database keeps its page size, reserved bytes per page, default-family root (offset 40) and
 * auto-vacuum setting (offset 52 zero or not): open connections fixed them when they opened the file, and
 * would read or write the wrong pages after a change. An image that differs is refused; nothing is written.
 *
 * <p>The write transaction holds the image's pages in memory until it commits, as every transaction of this
 * pager does; a WAL commit writes its frames from one buffer, so an image must stay under 2 GiB of frames.
 */
public final class ImageImport {
    /** The smallest usable page size the format allows (SQLite: 480). */
    private static final int MIN_USABLE = 480;
    /** A WAL frame's header, written before each page. */
    private static final int WAL_FRAME_HEADER = 24;

    private ImageImport() {
    }

    /** An image file whose header and length agree. */
    public record Image(Path file, long length, int pageSize, int pageCount, int reservedBytes) {
        public int usableSize() {
            return pageSize - reservedBytes;
        }
    }

    /**
     * Checks what can be checked without reading the pages: the SQLite magic, a valid page size, a length that
     * is a non-zero multiple of it, known format versions, reserved bytes that leave a usable page, and a header
     * page count (when valid) equal to the image's.
     *
     * @throws InvalidImageException naming what is wrong
     */
    public static Image inspect(Storage storage, Path image) {
        try (StorageFile f = storage.open(image, true, false)) {
            long length = f.size();
            byte[] head = new byte[DatabaseHeader.SIZE];
            int got = f.read(0, head, 0, (int) Math.min(length, head.length));
            if (got < DatabaseHeader.MAGIC.length || !DatabaseHeader.hasMagic(head)) {
                throw new InvalidImageException("not an SQLite database image: it does not start with \"SQLite format 3\\0\"");
            }
            if (length < DatabaseHeader.SIZE) {
                throw new InvalidImageException("the image is " + length + " bytes, shorter than the 100-byte database header");
            }
            int pageSize = DatabaseHeader.pageSize(head);
            if (pageSize < 0) {
                int raw = ((head[DatabaseHeader.OFF_PAGE_SIZE] & 0xff) << 8) | (head[DatabaseHeader.OFF_PAGE_SIZE + 1] & 0xff);
                throw new InvalidImageException("the image's page size (header offset 16) is " + raw
                        + ", not a power of two from 512 to 65536");
            }
            if (length % pageSize != 0) {
                throw new InvalidImageException("the image is " + length + " bytes, not a multiple of its page size " + pageSize);
            }
            long pages = length / pageSize;
            if (pages > Integer.MAX_VALUE - 1) {
                throw new InvalidImageException("the image has " + pages + " pages, more than a database can have");
            }
            int wv = head[DatabaseHeader.OFF_WRITE_VERSION];
            int rv = head[DatabaseHeader.OFF_READ_VERSION];
            if (wv < 1 || wv > 2 || rv < 1 || rv > 2) {
                throw new InvalidImageException("the image has unknown file format versions " + wv + "/" + rv
                        + " (header offsets 18, 19)");
            }
            int reserved = head[DatabaseHeader.OFF_RESERVED] & 0xff;
            if (pageSize - reserved < MIN_USABLE) {
                throw new InvalidImageException("the image reserves " + reserved + " bytes of each " + pageSize
                        + "-byte page, leaving less than " + MIN_USABLE);
            }
            int counted = DatabaseHeader.validPageCount(head);
            if (counted != 0 && counted != pages) {
                throw new InvalidImageException("the image's header counts " + counted + " pages (offset 28) but the image holds "
                        + pages);
            }
            return new Image(image, length, pageSize, (int) pages, reserved);
        } catch (NoSuchFileException e) {
            throw new KVException(ErrorCode.NOTFOUND, "no such image file: " + image, e);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "reading the image " + image + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Commits {@code image} (already {@linkplain #inspect inspected}, and its pages checked) as the next write
     * transaction of {@code pager}; {@code log}, when the store keeps one, records it as any commit.
     *
     * @return the position afterwards (without a log: TXID 0 and the image's checksum)
     * @throws InvalidImageException when the image does not fit the database; nothing is written then
     */
    public static LtxPosition commit(Pager pager, ChangeLog log, Storage storage, Image image) {
        int ps = image.pageSize();
        if ((long) image.pageCount() * (ps + WAL_FRAME_HEADER) > Integer.MAX_VALUE) {
            throw new KVException(ErrorCode.TOOBIG, "an image of " + image.length() + " bytes is too large for one "
                    + "transaction (a commit's WAL frames are written from one buffer of at most 2 GiB)");
        }
        WriteTxn t = pager.beginWrite();
        try (StorageFile in = storage.open(image.file(), true, false)) {
            checkFits(t, pager, image, in);
            t.setPageCount(image.pageCount());
            long lock = LtxChecksums.lockPage(ps);
            long c = 0;
            for (int pg = 1; pg <= image.pageCount(); pg++) {
                if (pg == lock) {
                    continue; // never part of a database (SQLite's lock bytes live there), nor of an LTX file
                }
                byte[] d = t.fresh(pg);
                if (in.read((long) (pg - 1) * ps, d, 0, ps) != ps) {
                    throw new KVException(ErrorCode.IOERR, "the image " + image.file() + " became shorter while it was read");
                }
                if (pg == 1) {
                    keepOtherConnectionsRight(t, pager, d);
                }
                c ^= LtxChecksums.pageChecksum(pg, d);
            }
            t.commitPagesAsGiven();
            t.commit();
            return log != null ? log.position() : new LtxPosition(0, c | LtxChecksums.FLAG);
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "importing " + image.file() + " into " + pager.path() + " failed: "
                    + e.getMessage(), e);
        } finally {
            if (t.isActive()) {
                t.rollback();
            }
        }
    }

    /** Refuses an image whose fixed settings differ from those open connections of the database use. */
    private static void checkFits(WriteTxn t, Pager pager, Image image, StorageFile in) throws IOException {
        if (image.pageSize() != pager.pageSize()) {
            throw new InvalidImageException("the image's page size is " + image.pageSize() + " but the database's is "
                    + pager.pageSize());
        }
        if (t.startPageCount() == 0) {
            return;
        }
        if (image.usableSize() != pager.usableSize()) {
            throw new InvalidImageException("the image reserves " + image.reservedBytes() + " bytes per page but the "
                    + "database reserves " + (pager.pageSize() - pager.usableSize()));
        }
        byte[] now = t.committedPage(1);
        byte[] head = new byte[DatabaseHeader.SIZE];
        in.read(0, head, 0, head.length);
        int root = DatabaseHeader.u32(head, DatabaseHeader.OFF_SCHEMA_COOKIE);
        int rootNow = DatabaseHeader.u32(now, DatabaseHeader.OFF_SCHEMA_COOKIE);
        if (root != rootNow) {
            throw new InvalidImageException("the image's default column family root is page " + Integer.toUnsignedString(root)
                    + " (header offset 40) but the database's is page " + Integer.toUnsignedString(rootNow)
                    + "; open stores would use the wrong tree");
        }
        boolean av = DatabaseHeader.u32(head, DatabaseHeader.OFF_LARGEST_ROOT) != 0;
        boolean avNow = DatabaseHeader.u32(now, DatabaseHeader.OFF_LARGEST_ROOT) != 0;
        if (av != avNow) {
            throw new InvalidImageException("the image " + (av ? "uses" : "does not use") + " auto-vacuum (header offset 52) "
                    + "but the database " + (avNow ? "does" : "does not"));
        }
    }

    /** The two page-1 changes the class documentation explains. */
    private static void keepOtherConnectionsRight(WriteTxn t, Pager pager, byte[] p1) {
        byte version = (byte) (pager.journalMode() == JournalMode.WAL ? 2 : 1);
        p1[DatabaseHeader.OFF_WRITE_VERSION] = version;
        p1[DatabaseHeader.OFF_READ_VERSION] = version;
        if (pager.journalMode() == JournalMode.DELETE && t.startPageCount() > 0) {
            int counter = DatabaseHeader.u32(p1, DatabaseHeader.OFF_CHANGE_COUNTER);
            if (counter == DatabaseHeader.u32(t.committedPage(1), DatabaseHeader.OFF_CHANGE_COUNTER)) {
                boolean valid = DatabaseHeader.u32(p1, DatabaseHeader.OFF_VERSION_VALID_FOR) == counter;
                DatabaseHeader.put32(p1, DatabaseHeader.OFF_CHANGE_COUNTER, counter + 1);
                if (valid) {
                    DatabaseHeader.put32(p1, DatabaseHeader.OFF_VERSION_VALID_FOR, counter + 1);
                }
            }
        }
    }
}
