package io.snkv.internal.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A lock this owner held is gone. Java cannot convert a POSIX lock in place, so an upgrade or a downgrade
 * releases the range and locks it again in the new mode; if another process takes the range in that gap
 * and keeps it, the owner ends up holding nothing on it and gets this exception. Under SQLite's protocol
 * that cannot happen (see {@link ByteRangeLocks}); seeing it means another process does not follow the
 * protocol, so the caller must treat everything the lock protected as unknown (drop caches, report an I/O
 * error) rather than retry blindly.
 */
public final class LockLostException extends IOException {
    private static final long serialVersionUID = 1L;

    LockLostException(Path file, long offset, long length, String what) {
        super(file + ": lock on bytes [" + offset + ", " + (offset + length) + ") lost: " + what);
    }
}
