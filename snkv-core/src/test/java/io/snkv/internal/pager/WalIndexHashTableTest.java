package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.CorruptDatabaseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class WalIndexHashTableTest {
    private static final int B0 = WalIndexFormat.FRAMES_IN_BLOCK_0; // 4062
    private static final int B1 = B0 + WalIndexFormat.FRAMES_PER_BLOCK; // 8158

    private final HeapShm shm = new HeapShm();
    private final WalIndexHashTable index = new WalIndexHashTable(shm);
    /** pageOf[frame] as the test appended it. */
    private final List<Integer> model = new ArrayList<>(List.of(0));

    private void append(int pgno) throws Exception {
        int frame = model.size();
        index.append(frame, pgno);
        model.add(pgno);
    }

    private int modelFind(int pgno, int mx, int min) {
        for (int f = Math.min(mx, model.size() - 1); f >= Math.max(min, 1); f--) {
            if (model.get(f) == pgno) {
                return f;
            }
        }
        return 0;
    }

    private static long slotOffset(int block, int key) {
        return (long) block * WalIndexFormat.REGION_SIZE + WalIndexFormat.HASH_TABLE_OFFSET + 2L * key;
    }

    @Test
    void blockArithmetic() {
        assertThat(WalIndexHashTable.blockOf(1)).isZero();
        assertThat(WalIndexHashTable.blockOf(4062)).isZero();
        assertThat(WalIndexHashTable.blockOf(4063)).isEqualTo(1);
        assertThat(WalIndexHashTable.blockOf(4062 + 4096)).isEqualTo(1);
        assertThat(WalIndexHashTable.blockOf(4062 + 4096 + 1)).isEqualTo(2);
        assertThat(WalIndexHashTable.frameBase(0)).isZero();
        assertThat(WalIndexHashTable.frameBase(1)).isEqualTo(4062);
        assertThat(WalIndexHashTable.frameBase(2)).isEqualTo(8158);
        assertThat(WalIndexHashTable.hashOf(1)).isEqualTo(383);
        assertThat(WalIndexHashTable.hashOf(22)).isEqualTo((22 * 383) % 8192);
        // page numbers are unsigned 32-bit: 0xffffffff * 383 mod 2^32, low 13 bits
        assertThat(WalIndexHashTable.hashOf(0xffffffff)).isEqualTo(8192 - 383);
    }

    @Test
    void pageNumbersAndSlotsLandWhereSqlitePutsThem() throws Exception {
        append(10); // frame 1
        append(20); // frame 2
        assertThat(shm.getInt(136)).isEqualTo(10);
        assertThat(shm.getInt(140)).isEqualTo(20);
        assertThat(shm.getU16(slotOffset(0, WalIndexHashTable.hashOf(10)))).isEqualTo(1);
        assertThat(shm.getU16(slotOffset(0, WalIndexHashTable.hashOf(20)))).isEqualTo(2);
        for (int f = 3; f <= B0 + 1; f++) {
            append(1000 + f);
        }
        // frame 4063 is entry 1 of block 1, at the very start of region 1
        assertThat(shm.getInt(32768)).isEqualTo(1000 + B0 + 1);
        assertThat(shm.getU16(slotOffset(1, WalIndexHashTable.hashOf(1000 + B0 + 1)))).isEqualTo(1);
        assertThat(shm.getInt(136 + 4L * (B0 - 1))).isEqualTo(1000 + B0);
        assertThat(index.pageOf(B0)).isEqualTo(1000 + B0);
        assertThat(index.pageOf(B0 + 1)).isEqualTo(1000 + B0 + 1);
    }

    @Test
    void findMatchesBruteForceAcrossThreeBlocks() throws Exception {
        Random r = new Random(42);
        int total = B1 + 700;
        for (int f = 1; f <= total; f++) {
            // a few hot pages that recur, many cold ones, and colliding page numbers (p and p + 8192)
            int p = switch (r.nextInt(4)) {
                case 0 -> 1 + r.nextInt(5);
                case 1 -> 1 + r.nextInt(3000);
                case 2 -> 7 + 8192 * r.nextInt(4);
                default -> 100_000 + r.nextInt(20_000);
            };
            append(p);
        }
        TreeSet<Integer> pages = new TreeSet<>(model.subList(1, model.size()));
        pages.add(999_999); // never in the log
        int[] marks = {1, 2, 100, B0 - 1, B0, B0 + 1, B0 + 2, B1 - 1, B1, B1 + 1, B1 + 2, total - 1, total, 5000, 7000};
        for (int mx : marks) {
            for (int p : pages) {
                assertThat(index.find(p, mx, 1)).as("page %d at mxFrame %d", p, mx).isEqualTo(modelFind(p, mx, 1));
            }
        }
        for (int min : new int[] {0, 2, B0, B0 + 1, B1, B1 + 1, total}) {
            for (int p : pages) {
                assertThat(index.find(p, total, min)).as("page %d from %d", p, min).isEqualTo(modelFind(p, total, min));
            }
        }
        for (int f = 1; f <= total; f++) {
            assertThat(index.pageOf(f)).isEqualTo(model.get(f));
        }
    }

    @Test
    void collidingPagesProbeOnwardAndWrapAtTheEnd() throws Exception {
        int last = -1; // a page number hashing to slot 8191
        for (int p = 1; last < 0; p++) {
            if (WalIndexHashTable.hashOf(p) == 8191) {
                last = p;
            }
        }
        append(last);            // frame 1 -> slot 8191
        append(last + 8192);     // frame 2 collides -> wraps to slot 0
        append(last + 2 * 8192); // frame 3 -> slot 1
        append(last);            // frame 4 -> slot 2
        assertThat(shm.getU16(slotOffset(0, 8191))).isEqualTo(1);
        assertThat(shm.getU16(slotOffset(0, 0))).isEqualTo(2);
        assertThat(shm.getU16(slotOffset(0, 1))).isEqualTo(3);
        assertThat(shm.getU16(slotOffset(0, 2))).isEqualTo(4);
        assertThat(index.find(last, 4, 1)).isEqualTo(4);
        assertThat(index.find(last, 3, 1)).isEqualTo(1);
        assertThat(index.find(last + 8192, 4, 1)).isEqualTo(2);
        assertThat(index.find(last + 2 * 8192, 4, 1)).isEqualTo(3);
        assertThat(index.find(last + 3 * 8192, 4, 1)).isZero();
        assertThat(index.find(last, 4, 2)).isEqualTo(4);
        assertThat(index.find(last, 3, 2)).isZero();
    }

    @Test
    void newestCopyInAnEarlierBlockIsFoundWhenLaterBlocksLackThePage() throws Exception {
        append(5);
        for (int f = 2; f <= B1 + 10; f++) {
            append(f == B0 ? 5 : 50_000 + f);
        }
        assertThat(index.find(5, B1 + 10, 1)).isEqualTo(B0);
        assertThat(index.find(5, B0 - 1, 1)).isEqualTo(1);
        assertThat(index.find(5, B1 + 10, B0 + 1)).isZero();
        assertThat(index.find(5, 0, 1)).isZero();
    }

    @Test
    void truncateForgetsLaterFramesInItsBlockAndNewFramesReplaceThem() throws Exception {
        Random r = new Random(7);
        int total = B1 + 50;
        for (int f = 1; f <= total; f++) {
            append(1 + r.nextInt(500));
        }
        int mx = B0 + 1000;
        Map<Integer, Integer> before = new HashMap<>();
        for (int p = 1; p <= 500; p++) {
            before.put(p, index.find(p, mx, 1));
        }
        index.truncate(mx);
        for (int p = 1; p <= 500; p++) {
            assertThat(index.find(p, mx, 1)).isEqualTo(before.get(p));
            assertThat(index.find(p, B1, 1)).as("entries of block 1 above %d are gone", mx).isEqualTo(before.get(p));
        }
        for (int key = 0; key < 8192; key++) {
            assertThat(shm.getU16(slotOffset(1, key))).isLessThanOrEqualTo(mx - B0);
        }
        assertThat(index.pageOf(mx)).isEqualTo(model.get(mx));
        assertThat(index.pageOf(mx + 1)).isZero();
        assertThat(index.pageOf(B1)).isZero();
        // as in SQLite, later blocks keep their stale entries until a frame is appended there again
        assertThat(index.pageOf(B1 + 1)).isEqualTo(model.get(B1 + 1));
        // the writer appends again from mx + 1; pages 1000+ were never in the log before
        model.subList(mx + 1, model.size()).clear();
        for (int f = mx + 1; f <= total + 10; f++) {
            append(1000 + (f % 37));
        }
        for (int p = 1; p <= 1040; p++) {
            assertThat(index.find(p, total + 10, 1)).isEqualTo(modelFind(p, total + 10, 1));
        }
    }

    @Test
    void truncateAtBlockEndAndToNothing() throws Exception {
        for (int f = 1; f <= B0 + 20; f++) {
            append(f);
        }
        index.truncate(B0);
        assertThat(index.find(B0, B0, 1)).isEqualTo(B0);
        assertThat(index.find(1, B0, 1)).isEqualTo(1);
        index.truncate(0);
        assertThat(index.find(1, B0, 1)).isZero();
        assertThat(index.pageOf(1)).isZero();
        new WalIndexHashTable(new HeapShm()).truncate(0); // nothing mapped: nothing to do
    }

    @Test
    void appendOverDebrisOfACrashedWriterDropsTheDebris() throws Exception {
        for (int f = 1; f <= 100; f++) {
            append(f); // frames 51..100: a transaction that never committed; its writer died
        }
        model.subList(51, model.size()).clear();
        append(7000); // the next writer's first frame is 51
        assertThat(index.pageOf(52)).isZero();
        assertThat(index.find(80, 100, 1)).isZero();
        assertThat(index.find(7000, 51, 1)).isEqualTo(51);
        assertThat(index.find(30, 51, 1)).isEqualTo(30);
    }

    @Test
    void firstFrameOfABlockZeroesTheBlock() throws Exception {
        shm.ensureRegions(2);
        for (int key = 0; key < 8192; key++) {
            shm.putU16(slotOffset(1, key), 4000); // stale garbage from an earlier log generation
        }
        shm.putInt(32768 + 8, 77);
        for (int f = 1; f <= B0 + 1; f++) {
            append(3);
        }
        assertThat(shm.getInt(32768 + 8)).isZero();
        assertThat(index.find(3, B0 + 1, 1)).isEqualTo(B0 + 1);
        int used = 0;
        for (int key = 0; key < 8192; key++) {
            used += shm.getU16(slotOffset(1, key)) != 0 ? 1 : 0;
        }
        assertThat(used).isEqualTo(1);
    }

    @Test
    void clearZeroesIndexBlocksButNotTheHeader() throws Exception {
        WalIndexHeader h = WalIndexHeader.of(1, false, 1024, 5000, 9, 1, 2, 3, 4);
        h.write(shm);
        for (int f = 1; f <= 5000; f++) {
            append(f % 97 + 1);
        }
        index.clear();
        assertThat(WalIndexHeader.read(shm)).isEqualTo(h);
        assertThat(index.find(5, 5000, 1)).isZero();
        assertThat(index.pageOf(1)).isZero();
        assertThat(index.pageOf(4500)).isZero();
    }

    @Test
    void impossibleSlotValuesAreCorruptionNotACrash() throws Exception {
        for (int f = 1; f <= B0 + 3; f++) {
            append(f);
        }
        int key = WalIndexHashTable.hashOf(424242);
        shm.putU16(slotOffset(1, key), 5000); // block 1 has 4096 entries
        assertThatThrownBy(() -> index.find(424242, B0 + 3, 1))
                .isInstanceOf(CorruptDatabaseException.class)
                .hasMessageContaining("wal-index").hasMessageContaining("block 1");
    }

    @Test
    void fullHashTableIsCorruptionNotAHang() throws Exception {
        shm.ensureRegions(1);
        append(1);
        for (int key = 0; key < 8192; key++) {
            shm.putU16(slotOffset(0, key), 1);
        }
        assertThatThrownBy(() -> index.find(2, 1, 1)).isInstanceOf(CorruptDatabaseException.class);
        assertThatThrownBy(() -> index.append(2, 9)).isInstanceOf(CorruptDatabaseException.class);
    }

    @Test
    void nonsenseArgumentsAreRefused() {
        assertThatThrownBy(() -> index.append(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.append(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
