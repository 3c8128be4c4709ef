package io.snkv;

import java.nio.file.Path;

/** The database file, its WAL or its journal holds bytes that break the format. */
public class CorruptDatabaseException extends KVException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long page;

    /**
     * @param file the damaged file
     * @param page the damaged page number, or 0 when the fault is not in one page (the header, the file size)
     */
    public CorruptDatabaseException(Path file, long page, String what) {
        super(ErrorCode.CORRUPT, "database disk image is malformed: " + file
                + (page > 0 ? " page " + page : "") + ": " + what);
        this.file = file;
        this.page = page;
    }

    public Path file() {
        return file;
    }

    /** The page at fault, or 0 when none is. */
    public long page() {
        return page;
    }
}
