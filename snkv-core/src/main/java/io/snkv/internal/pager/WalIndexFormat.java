package io.snkv.internal.pager;

/**
 * The layout of SQLite's wal-index (the {@code <db>-shm} file that the unix and windows VFSes map into
 * every process using a WAL-mode database), as constants. Sources: SQLite's "WAL-mode File Format"
 * document, section 2 "The WAL-Index Format", and the head comment and structures of SQLite's
 * {@code wal.c} (3.49.2); checked against files written by SQLite 3.40.1 in the interop tests.
 *
 * <h2>Regions</h2>
 * The file is a sequence of 32 KiB regions. Region {@code b} holds index block {@code b}: an array of
 * 32-bit page numbers, one per WAL frame, then a hash table of 8192 16-bit slots at byte 16384 of the
 * region. Region 0 starts with the 136-byte header, so its page-number array begins at byte 136 and
 * has room for 4062 frames; every other block covers 4096 frames:
 * <pre>
 * block 0: frames 1..4062          block b &gt;= 1: frames 4062 + (b-1)*4096 + 1 .. 4062 + b*4096
 * </pre>
 *
 * <h2>Header (bytes 0..135 of region 0)</h2>
 * Every integer is in the byte order of the host (this is a transient, per-machine file), except the
 * two salts, which are the WAL header's bytes copied as they are (big-endian).
 * <pre>
 *   0  first copy of the index header (48 bytes):
 *        0 iVersion 3007000     4 unused (0)          8 iChange (bumped by every commit)
 *       12 isInit (u8, 1)      13 bigEndCksum (u8)   14 szPage (u16; 65536 is stored as 1)
 *       16 mxFrame (last frame of the last commit)   20 nPage (database size in pages)
 *       24 aFrameCksum[2] (cumulative checksum after frame mxFrame)
 *       32 aSalt[2] (big-endian, copied from the WAL header)
 *       40 aCksum[2]: the WAL checksum algorithm over bytes 0..39, words in host order
 *  48  second copy of the index header
 *  96  nBackfill: frames already copied back into the database file
 * 100  aReadMark[5]: the snapshot end (mxFrame) of the readers holding read lock i;
 *      0xffffffff = unused; aReadMark[0] is always 0 (readers that ignore the WAL)
 * 120  aLock[8]: lock bytes, never read or written, only byte-range locked by the VFS:
 *      120 WRITE, 121 CKPT, 122 RECOVER, 123..127 READ(0..4); the unix VFS also locks byte 128
 *      (the "dead man switch" DMS) to tell whether it is the first process to open the file
 * 128  nBackfillAttempted: the nBackfill a checkpoint is working towards
 * 132  unused
 * </pre>
 * A writer stores the second copy, then a memory barrier, then the first copy. A reader loads the
 * first copy, a barrier, then the second; it accepts the header only when the two are identical,
 * isInit is non-zero and the checksum matches (else it retries, or runs recovery).
 *
 * <h2>Hash tables</h2>
 * A page number {@code P} hashes to slot {@code (P * 383) & 8191}; collisions probe the next slot,
 * wrapping at 8192. A slot holds the 1-based index of a frame within its block (0 = empty). Entries
 * are only ever appended in frame order, so a reader with snapshot end {@code mxFrame} just ignores
 * slots naming a later frame. Lookup walks blocks from the one holding {@code mxFrame} back to the
 * first, and within a block takes the last matching slot on the probe path whose frame is in range.
 * When a writer rolls back, the slots and page numbers above the restored {@code mxFrame} are zeroed in
 * the block holding it; later blocks are zeroed when their first frame is appended.
 */
final class WalIndexFormat {
    private WalIndexFormat() {
    }

    /** Bytes in one region of the wal-index (SQLite's WALINDEX_PGSZ). */
    static final int REGION_SIZE = 32 * 1024;
    /** The only wal-index version (WALINDEX_MAX_VERSION). */
    static final int VERSION = 3007000;

    /** One copy of the index header (sizeof(WalIndexHdr)). */
    static final int HEADER_COPY_SIZE = 48;
    /** Offset of the first and of the second header copy. */
    static final int HEADER_COPY_1 = 0;
    static final int HEADER_COPY_2 = HEADER_COPY_SIZE;
    /** Header plus checkpoint information (WALINDEX_HDR_SIZE). */
    static final int HEADER_SIZE = 136;

    /** Field offsets within one header copy. */
    static final int HDR_VERSION = 0;
    static final int HDR_UNUSED = 4;
    static final int HDR_CHANGE = 8;
    static final int HDR_IS_INIT = 12;
    static final int HDR_BIG_END_CKSUM = 13;
    static final int HDR_PAGE_SIZE = 14;
    static final int HDR_MX_FRAME = 16;
    static final int HDR_N_PAGE = 20;
    static final int HDR_FRAME_CKSUM = 24;
    static final int HDR_SALT = 32;
    static final int HDR_CKSUM = 40;

    /** Checkpoint information, from the start of the file. */
    static final int N_BACKFILL = 96;
    static final int READ_MARK = 100;
    static final int N_READERS = 5;
    static final int LOCK_OFFSET = 120;
    static final int N_LOCKS = 8;
    static final int N_BACKFILL_ATTEMPTED = 128;
    static final int NOT_USED_0 = 132;
    /** An unused read mark (READMARK_NOT_USED). */
    static final int READMARK_NOT_USED = 0xffffffff;

    /** Lock indexes: the byte locked is {@code LOCK_OFFSET + index}. */
    static final int LOCK_WRITE = 0;
    static final int LOCK_CKPT = 1;
    static final int LOCK_RECOVER = 2;
    static final int LOCK_READ_0 = 3;
    /** The unix VFS's dead-man-switch byte: held shared by every process that has the file open. */
    static final int DMS_LOCK_OFFSET = LOCK_OFFSET + N_LOCKS;

    /** Frames per index block (HASHTABLE_NPAGE), and in block 0 (HASHTABLE_NPAGE_ONE). */
    static final int FRAMES_PER_BLOCK = 4096;
    static final int FRAMES_IN_BLOCK_0 = FRAMES_PER_BLOCK - HEADER_SIZE / 4;
    /** Hash slots per block (HASHTABLE_NSLOT), 16 bits each. */
    static final int HASH_SLOTS = 2 * FRAMES_PER_BLOCK;
    /** Hash multiplier (HASHTABLE_HASH_1). */
    static final int HASH_MULTIPLIER = 383;
    /** Offset of the hash table within its region. */
    static final int HASH_TABLE_OFFSET = FRAMES_PER_BLOCK * 4;

    static int readMarkOffset(int i) {
        return READ_MARK + 4 * i;
    }
}
