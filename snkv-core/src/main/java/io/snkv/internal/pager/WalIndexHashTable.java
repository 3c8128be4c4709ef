package io.snkv.internal.pager;

import static io.snkv.internal.pager.WalIndexFormat.FRAMES_IN_BLOCK_0;
import static io.snkv.internal.pager.WalIndexFormat.FRAMES_PER_BLOCK;
import static io.snkv.internal.pager.WalIndexFormat.HASH_MULTIPLIER;
import static io.snkv.internal.pager.WalIndexFormat.HASH_SLOTS;
import static io.snkv.internal.pager.WalIndexFormat.HASH_TABLE_OFFSET;
import static io.snkv.internal.pager.WalIndexFormat.HEADER_SIZE;
import static io.snkv.internal.pager.WalIndexFormat.REGION_SIZE;

import io.snkv.CorruptDatabaseException;
import java.io.IOException;

/**
 * The index blocks of the wal-index: for each WAL frame its page number, and per 32 KiB region a hash
 * table from page number to frame (layout in {@link WalIndexFormat}). Frame numbers count from 1.
 *
 * <p>Threads and processes: one writer (holding the WAL write lock, or running recovery) calls
 * {@link #append}, {@link #truncate} and {@link #clear}; any number of readers call {@link #find}
 * meanwhile. A reader passes the {@code mxFrame} of its snapshot and so ignores whatever the writer
 * adds after it; the writer stores a frame's page number before its hash slot (release order), so a
 * reader that sees the slot sees the page number. Slot values and page numbers come from shared
 * memory another process may have damaged: a value that cannot be right raises
 * {@link CorruptDatabaseException} rather than looping or reading out of range.
 */
final class WalIndexHashTable {
    private final ShmAccess shm;

    WalIndexHashTable(ShmAccess shm) {
        this.shm = shm;
    }

    /** The index block (= region) holding frame {@code frame} (SQLite's walFramePage). */
    static int blockOf(int frame) {
        return (frame + FRAMES_PER_BLOCK - FRAMES_IN_BLOCK_0 - 1) / FRAMES_PER_BLOCK;
    }

    /** The frame number before the first frame of {@code block} (SQLite's iZero). */
    static int frameBase(int block) {
        return block == 0 ? 0 : FRAMES_IN_BLOCK_0 + (block - 1) * FRAMES_PER_BLOCK;
    }

    /** Frames block {@code block} can hold. */
    static int capacity(int block) {
        return block == 0 ? FRAMES_IN_BLOCK_0 : FRAMES_PER_BLOCK;
    }

    /** The first hash slot probed for {@code pgno} (SQLite's walHash). */
    static int hashOf(int pgno) {
        return (pgno * HASH_MULTIPLIER) & (HASH_SLOTS - 1);
    }

    private static long pageArray(int block) {
        return (long) block * REGION_SIZE + (block == 0 ? HEADER_SIZE : 0);
    }

    private static long hashTable(int block) {
        return (long) block * REGION_SIZE + HASH_TABLE_OFFSET;
    }

    /**
     * Records that WAL frame {@code frame} holds page {@code pgno}. Frames are appended in order. The
     * first frame of a block zeroes the block first; a page number already present where this frame
     * goes is the debris of a writer that died mid-transaction, and everything from this frame on is
     * dropped before the new entry is made (both as SQLite's walIndexAppend).
     */
    void append(int frame, int pgno) throws IOException {
        if (frame <= 0 || pgno == 0) {
            throw new IllegalArgumentException("frame " + frame + ", page " + pgno);
        }
        int block = blockOf(frame);
        shm.ensureRegions(block + 1);
        int idx = frame - frameBase(block);
        long pages = pageArray(block);
        long hash = hashTable(block);
        if (idx == 1) {
            shm.zero(pages, (int) (hash + 2L * HASH_SLOTS - pages));
        } else if (shm.getInt(pages + 4L * (idx - 1)) != 0) {
            truncate(frame - 1);
        }
        int key = hashOf(pgno);
        // At most idx - 1 slots of this block are taken, so a free one turns up within idx probes.
        for (int collisions = 0; shm.getU16(hash + 2L * key) != 0; key = (key + 1) & (HASH_SLOTS - 1)) {
            if (++collisions > idx) {
                throw corrupt("hash table of block " + block + " has no free slot for frame " + frame);
            }
        }
        shm.putInt(pages + 4L * (idx - 1), pgno);
        shm.putU16(hash + 2L * key, idx);
    }

    /**
     * The newest frame holding {@code pgno} among frames {@code minFrame..mxFrame}, or 0 when none
     * does (read the page from the database file). {@code mxFrame} is the reader's snapshot end;
     * {@code minFrame} is SQLite's {@code nBackfill + 1} when the reader may skip frames already
     * copied back, or 1 (0 works too) to consider all.
     */
    int find(int pgno, int mxFrame, int minFrame) throws IOException {
        if (mxFrame <= 0 || pgno == 0) {
            return 0;
        }
        int lowBlock = blockOf(Math.max(minFrame, 0));
        int topBlock = blockOf(mxFrame);
        shm.ensureRegions(topBlock + 1);
        for (int block = topBlock; block >= lowBlock; block--) {
            int base = frameBase(block);
            int cap = capacity(block);
            long pages = pageArray(block);
            long hash = hashTable(block);
            int found = 0;
            int key = hashOf(pgno);
            int probes = 0;
            for (int slot; (slot = shm.getU16(hash + 2L * key)) != 0; key = (key + 1) & (HASH_SLOTS - 1)) {
                if (slot > cap) {
                    throw corrupt("hash slot " + key + " of block " + block + " names entry " + slot
                            + " of a block of " + cap);
                }
                int frame = base + slot;
                if (frame <= mxFrame && frame >= minFrame && shm.getInt(pages + 4L * (slot - 1)) == pgno) {
                    found = Math.max(found, frame);
                }
                if (++probes > HASH_SLOTS) {
                    throw corrupt("hash table of block " + block + " has no empty slot");
                }
            }
            if (found != 0) {
                return found;
            }
        }
        return 0;
    }

    /** The page number recorded for {@code frame} (SQLite's walFramePgno); 0 if none. */
    int pageOf(int frame) throws IOException {
        if (frame <= 0) {
            throw new IllegalArgumentException("frame " + frame);
        }
        int block = blockOf(frame);
        shm.ensureRegions(block + 1);
        return shm.getInt(pageArray(block) + 4L * (frame - frameBase(block) - 1));
    }

    /**
     * Forgets frames after {@code mxFrame} after a rollback (SQLite's walCleanupHash): in the block
     * holding {@code mxFrame}, zeroes the hash slots and page numbers of later frames. Later blocks
     * are left alone: no reader looks past the header's mxFrame, and {@link #append} zeroes a block
     * when it writes the block's first frame. With {@code mxFrame} 0, block 0 is zeroed.
     */
    void truncate(int mxFrame) throws IOException {
        if (mxFrame < 0) {
            throw new IllegalArgumentException("mxFrame " + mxFrame);
        }
        int block = blockOf(mxFrame);
        if (mxFrame == 0 && shm.regionCount() == 0) {
            return;
        }
        shm.ensureRegions(block + 1);
        int limit = mxFrame - frameBase(block);
        long hash = hashTable(block);
        for (int key = 0; key < HASH_SLOTS; key++) {
            if (shm.getU16(hash + 2L * key) > limit) {
                shm.putU16(hash + 2L * key, 0);
            }
        }
        long from = pageArray(block) + 4L * limit;
        shm.zero(from, (int) (hash - from));
    }

    /**
     * Zeroes every index block now mapped (before recovery rebuilds them). The header and the
     * checkpoint information are left as they are.
     */
    void clear() {
        for (int r = 0, n = shm.regionCount(); r < n; r++) {
            long start = pageArray(r);
            shm.zero(start, (int) ((long) (r + 1) * REGION_SIZE - start));
        }
    }

    private CorruptDatabaseException corrupt(String what) {
        return new CorruptDatabaseException(shm.path(), 0, "wal-index: " + what);
    }
}
