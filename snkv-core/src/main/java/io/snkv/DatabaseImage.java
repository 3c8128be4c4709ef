package io.snkv;

import io.snkv.internal.capture.ImageExport;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A raw image of one committed state of a store: the bytes a checkpointed database file would hold (pages
 * 1..{@link #pageCount()}, {@link #pageSize()} bytes each), with that state's change-log position. It holds a
 * read transaction from {@link KVStore#openImage()} until closed: in WAL mode writers go on committing
 * meanwhile; in rollback-journal mode their commits wait, as they wait for any reader. Used by one thread.
 */
public final class DatabaseImage implements AutoCloseable {
    private final java.nio.file.Path path;
    private final ImageExport export;

    DatabaseImage(java.nio.file.Path path, ImageExport export) {
        this.path = path;
        this.export = export;
    }

    /**
     * The TXID and database checksum of the state the image holds: the change log's position when the store
     * captures changes, else TXID 0 and the checksum of the pages.
     */
    public LtxPosition position() {
        return export.position();
    }

    public int pageSize() {
        return export.pageSize();
    }

    public int pageCount() {
        return export.pageCount();
    }

    /** The image's length in bytes: pages times page size. */
    public long size() {
        return (long) export.pageCount() * export.pageSize();
    }

    /**
     * Writes the image to {@code out} (not closed), page by page. Should the pages not add up to
     * {@link #position()}'s checksum, the last page is withheld and a {@link KVException} thrown: a reader
     * never gets a whole image under a wrong position.
     */
    public void writeTo(OutputStream out) throws IOException {
        try {
            export.writeTo(out);
        } catch (RuntimeException e) {
            throw KVStore.translate(path, e);
        }
    }

    /** Ends the read transaction. */
    @Override
    public void close() {
        export.close();
    }
}
