package io.snkv.node.stream;

import java.util.Locale;
import java.util.Optional;

/**
 * The stream's frame types (REPLICATION.md 2.2): each one's wire code and the largest payload a
 * receiver accepts for it. Codes 1-7 keep LiteFS's numbering. Immutable, so safe from any thread.
 */
public enum FrameType {
    /** {@code str name}, then one whole LTX file (min TXID at least 2), streamed to disk. */
    LTX(0x01, 1L << 40),
    /** Empty: the initial catch-up is done. */
    READY(0x02, 0),
    /** Empty: clean end (shutdown, lease lost); nothing follows. */
    END(0x03, 0),
    /** {@code str name}: the primary has no such database. 2 + 255. */
    DROP_DB(0x04, 257),
    /** {@code str leaseID} (1..1024 bytes): take over this lease; nothing follows. 2 + 1024. */
    HANDOFF(0x05, 1026),
    /** Backup phase: {@code u64 txid, str name}; receivers skip it. 8 + 2 + 255. */
    HWM(0x06, 265),
    /** {@code i64 timestamp, u32 count, count x {str name, u64 txid, u64 checksum}}: the primary's positions. */
    HEARTBEAT(0x07, 16L << 20),
    /** {@code str name}, then one whole snapshot LTX file (min TXID 1), streamed to disk. */
    SNAPSHOT(0x08, 1L << 40),
    /** UTF-8 reason; the primary then closes, so nothing follows. */
    ERROR(0x09, 4096);

    // values() clones its array on every call; the reader looks a code up once per frame.
    private static final FrameType[] BY_CODE = new FrameType[0x0a];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final long maxPayloadLength;
    private final String label;

    FrameType(int code, long maxPayloadLength) {
        this.code = code;
        this.maxPayloadLength = maxPayloadLength;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The largest payload length N a receiver accepts; larger is a protocol error. */
    public long maxPayloadLength() {
        return maxPayloadLength;
    }

    /** Lower-case name ({@code drop_db}), for metric labels and logs. */
    public String label() {
        return label;
    }

    /** True for the types whose payload ends in a whole LTX file (LTX, SNAPSHOT). */
    public boolean carriesFile() {
        return this == LTX || this == SNAPSHOT;
    }

    /** True for the types after which the sender sends nothing more (END, HANDOFF, ERROR). */
    public boolean endsStream() {
        return this == END || this == HANDOFF || this == ERROR;
    }

    /** The type with this wire code, or empty for a code the protocol does not define. */
    public static Optional<FrameType> ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }
}
