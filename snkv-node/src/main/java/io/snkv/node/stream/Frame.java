package io.snkv.node.stream;

import io.snkv.LtxPosition;
import java.io.InputStream;
import java.util.SortedMap;

/**
 * One frame as {@link FrameReader} returns it: its header and its decoded payload. Small payloads are
 * decoded whole; a {@link FileFrame} carries its LTX file as a stream of exactly {@link
 * FileFrame#fileLength()} bytes that the caller copies to disk, because such a file may be far larger
 * than memory (REPLICATION.md 2.4).
 */
public sealed interface Frame {
    FrameHeader header();

    default FrameType type() {
        return header().type();
    }

    /** LTX or SNAPSHOT: a database name and the whole LTX file after it. */
    sealed interface FileFrame extends Frame {
        String name();

        /** The file's length in bytes: the payload length minus the name's 2 + L bytes. */
        long fileLength();

        /**
         * The file's bytes, valid until the next {@link FrameReader#next()}. Reads past the end return
         * -1; an EOF of the stream before the end throws {@link StreamTruncatedException}. Closing it
         * does not close the stream; whatever the caller leaves unread is skipped by the next {@code next()}.
         */
        InputStream file();
    }

    /** Initial catch-up is done: the replica is ready. */
    record Ready(FrameHeader header) implements Frame {}

    /** Clean end (shutdown, lease lost). */
    record End(FrameHeader header) implements Frame {}

    /** The primary gives up on this stream, for {@code reason}, then closes. */
    record Error(FrameHeader header, String reason) implements Frame {}

    /** The primary has no database {@code name}: the replica drops it. */
    record DropDb(FrameHeader header, String name) implements Frame {}

    /** The primary hands its lease {@code leaseId} to this replica (REPLICATION.md 8.2). */
    record Handoff(FrameHeader header, String leaseId) implements Frame {}

    /** Backup-phase high-water mark; receivers skip it. */
    record Hwm(FrameHeader header, long txid, String name) implements Frame {}

    /** The primary's clock (ms) and its position of every database, sorted by name. Unmodifiable. */
    record Heartbeat(FrameHeader header, long timestampMs, SortedMap<String, LtxPosition> positions)
            implements Frame {}

    /** One LTX file for {@code name}, min TXID at least 2 (checked by whoever decodes the file). */
    record Ltx(FrameHeader header, String name, long fileLength, InputStream file) implements FileFrame {}

    /** A snapshot LTX file for {@code name}, min TXID 1 (checked by whoever decodes the file). */
    record Snapshot(FrameHeader header, String name, long fileLength, InputStream file) implements FileFrame {}
}
