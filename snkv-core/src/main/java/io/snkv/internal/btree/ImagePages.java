package io.snkv.internal.btree;

import io.snkv.CorruptDatabaseException;
import io.snkv.ErrorCode;
import io.snkv.InvalidImageException;
import io.snkv.KVException;
import io.snkv.internal.capture.ImageImport;
import io.snkv.internal.io.Storage;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.util.List;

/**
 * The pages of a database image file read straight from the file, without a pager (no locks, no journal, no
 * cache): what the integrity check reads before an image is imported. One thread; close it.
 */
final class ImagePages implements PageReader, AutoCloseable {
    /** Problems listed in an error message, at most. */
    private static final int SHOWN = 5;

    private final ImageImport.Image image;
    private final StorageFile file;

    private ImagePages(ImageImport.Image image, StorageFile file) {
        this.image = image;
        this.file = file;
    }

    /**
     * Runs SNKV's layout check and the integrity check on the image.
     *
     * @throws InvalidImageException listing the first problems found
     */
    static void check(Storage storage, ImageImport.Image image) {
        List<String> problems;
        try (ImagePages pages = new ImagePages(image, storage.open(image.file(), true, false))) {
            try {
                SnkvLayout.validate(pages);
                problems = IntegrityChecker.check(pages);
            } catch (CorruptDatabaseException e) {
                problems = List.of(e.getMessage());
            } catch (IndexOutOfBoundsException | NegativeArraySizeException | ArithmeticException e) {
                problems = List.of("malformed page content (" + e + ")"); // only damaged bytes get here
            }
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "reading the image " + image.file() + " failed: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            String shown = String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())));
            throw new InvalidImageException("the image fails the integrity check (" + problems.size()
                    + (problems.size() == 1 ? " problem): " : " problems): ") + shown);
        }
    }

    @Override
    public byte[] page(int pgno) {
        if (pgno < 1 || pgno > image.pageCount()) {
            throw corrupt(pgno, "page number out of range (the image has " + image.pageCount() + " pages)");
        }
        byte[] d = new byte[image.pageSize()];
        try {
            if (file.read((long) (pgno - 1) * image.pageSize(), d, 0, d.length) != d.length) {
                throw corrupt(pgno, "the image ends inside this page");
            }
        } catch (IOException e) {
            throw new KVException(ErrorCode.IOERR, "reading page " + pgno + " of " + image.file() + " failed: "
                    + e.getMessage(), e);
        }
        return d;
    }

    @Override
    public int pageSize() {
        return image.pageSize();
    }

    @Override
    public int usableSize() {
        return image.usableSize();
    }

    @Override
    public int pageCount() {
        return image.pageCount();
    }

    @Override
    public CorruptDatabaseException corrupt(int pgno, String what) {
        // The image's own name, not its spool directory: the message may go back to whoever sent the image.
        return new CorruptDatabaseException(image.file().getFileName(), pgno, what);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
