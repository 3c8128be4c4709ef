package io.snkv.internal.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.CorruptDatabaseException;
import io.snkv.internal.io.FileStorage;
import io.snkv.internal.io.StorageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalIndexRecoveryTest {
    @TempDir
    Path dir;

    private WalIndexRecovery.Result recover(byte[] walBytes, ShmAccess shm) throws IOException {
        Path wal = dir.resolve("db-wal");
        Files.write(wal, walBytes);
        try (StorageFile f = FileStorage.INSTANCE.open(wal, true, false)) {
            return WalIndexRecovery.recover(f, shm);
        }
    }

    /** Every page, at a spread of commit points (and the last), is found where the slow scan says. */
    private static void assertIndexAgreesWithScan(ShmAccess shm, ScannedWal scan) throws IOException {
        WalIndexHashTable index = new WalIndexHashTable(shm);
        List<ScannedWal.Frame> commits = scan.commits();
        for (int i = 0; i < commits.size(); i++) {
            if (i % 8 != 0 && i != commits.size() - 1) {
                continue;
            }
            int mx = commits.get(i).number();
            Map<Integer, Integer> latest = scan.latest(mx, 1);
            for (int p = 1, top = scan.maxPgno() + 2; p <= top; p++) {
                int got = index.find(p, mx, 1);
                if (got != latest.getOrDefault(p, 0)) {
                    throw new AssertionError("page " + p + " at " + mx + ": " + got + ", expected " + latest.get(p));
                }
            }
        }
    }

    private static void assertHeaderMatches(WalIndexHeader h, ScannedWal scan) {
        int mx = scan.mxFrame();
        assertThat(h.mxFrame()).isEqualTo(mx);
        assertThat(h.nPage()).isEqualTo(mx == 0 ? 0 : scan.frame(mx).commit());
        assertThat(h.frameChecksum0()).isEqualTo(mx == 0 ? 0 : scan.frame(mx).ck0());
        assertThat(h.frameChecksum1()).isEqualTo(mx == 0 ? 0 : scan.frame(mx).ck1());
        assertThat(h.salt1()).isEqualTo(scan.salt1);
        assertThat(h.salt2()).isEqualTo(scan.salt2);
        assertThat(h.bigEndianChecksum()).isEqualTo(scan.bigEndian);
        assertThat(h.pageSize()).isEqualTo(mx == 0 ? 0 : scan.pageSize);
        assertThat(h.change()).isZero();
        assertThat(h.isSupportedVersion()).isTrue();
    }

    @Test
    void rebuildsHeaderIndexAndCheckpointInfoFromCommittedFrames() throws Exception {
        Random r = new Random(1);
        WalBuilder b = new WalBuilder(512, 11);
        int dbSize = 3;
        while (b.frames() < 4062 + 4096 + 300) {
            int n = 1 + r.nextInt(40);
            int[] pages = new int[n];
            for (int i = 0; i < n; i++) {
                pages[i] = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 1 + r.nextInt(Math.min(dbSize + 5, 3000));
                dbSize = Math.max(dbSize, pages[i]);
            }
            b.commit(dbSize, pages);
        }
        b.frame(2, 0).frame(9999, 0); // a transaction whose commit frame never arrived
        ScannedWal scan = ScannedWal.parse(b.bytes());
        HeapShm shm = new HeapShm();
        WalIndexRecovery.Result res = recover(b.bytes(), shm);

        assertThat(res.validFrames()).isEqualTo(b.frames());
        assertThat(res.header().mxFrame()).isEqualTo(b.frames() - 2);
        assertHeaderMatches(res.header(), scan);
        assertThat(WalIndexHeader.read(shm)).isEqualTo(res.header());
        WalIndexCheckpointInfo info = new WalIndexCheckpointInfo(shm);
        assertThat(info.nBackfill()).isZero();
        assertThat(info.nBackfillAttempted()).isEqualTo(res.header().mxFrame());
        assertThat(info.readMark(0)).isZero();
        assertThat(info.readMark(1)).isEqualTo(res.header().mxFrame());
        for (int i = 2; i < 5; i++) {
            assertThat(info.readMark(i)).isEqualTo(WalIndexFormat.READMARK_NOT_USED);
        }
        assertIndexAgreesWithScan(shm, scan);
        // the uncommitted tail is not indexed
        assertThat(new WalIndexHashTable(shm).pageOf(b.frames())).isZero();
        assertThat(new WalIndexHashTable(shm).find(9999, b.frames(), 1)).isZero();
    }

    @Test
    void tornFrameEndsTheLogAtThePreviousCommit() throws Exception {
        WalBuilder b = new WalBuilder(512, 13).commit(3, 1, 2, 3).commit(4, 4, 1);
        int good = b.frames();
        b.garbageFrame().commit(5, 5);
        HeapShm shm = new HeapShm();
        WalIndexRecovery.Result res = recover(b.bytes(), shm);
        assertThat(res.header().mxFrame()).isEqualTo(good);
        assertThat(res.validFrames()).isEqualTo(good);
        assertThat(new WalIndexHashTable(shm).find(1, good, 1)).isEqualTo(5);
        assertThat(new WalIndexHashTable(shm).find(5, good, 1)).isZero();
    }

    @Test
    void bigEndianChecksumsAndLargestPageSize() throws Exception {
        WalBuilder b = new WalBuilder(65536, true, 3007000, 4, 0x01020304, 0x7fffffff, 14)
                .commit(2, 1, 2).commit(3, 3, 1);
        HeapShm shm = new HeapShm();
        WalIndexHeader h = recover(b.bytes(), shm).header();
        assertHeaderMatches(h, ScannedWal.parse(b.bytes()));
        assertThat(h.bigEndianChecksum()).isTrue();
        assertThat(h.pageSize()).isEqualTo(65536);
        assertThat(shm.getU16(WalIndexFormat.HDR_PAGE_SIZE)).isEqualTo(1);
        assertThat(new WalIndexHashTable(shm).find(1, 4, 1)).isEqualTo(4);
    }

    @Test
    void emptyMissingOrForeignLogGivesAnEmptyIndex() throws Exception {
        for (byte[] wal : new byte[][] {new byte[0], new byte[32], new byte[5000],
                new WalBuilder(512, 15).bytes()}) {
            HeapShm shm = new HeapShm();
            WalIndexHeader h = recover(wal, shm).header();
            assertThat(h.mxFrame()).isZero();
            assertThat(h.pageSize()).isZero();
            assertThat(WalIndexHeader.read(shm)).isEqualTo(h);
            assertThat(new WalIndexCheckpointInfo(shm).readMark(1)).isEqualTo(WalIndexFormat.READMARK_NOT_USED);
        }
        WalBuilder noCommit = new WalBuilder(512, 16).frame(1, 0).frame(2, 0);
        WalIndexRecovery.Result res = recover(noCommit.bytes(), new HeapShm());
        assertThat(res.header().mxFrame()).isZero();
        assertThat(res.validFrames()).isEqualTo(2);
        assertThat(res.header().salt1()).isEqualTo(0x11223344); // SQLite keeps the log's salts
    }

    @Test
    void unknownLogVersionIsRefusedNotIgnored() {
        WalBuilder b = new WalBuilder(512, false, 3007001, 0, 1, 2, 17).commit(1, 1);
        assertThatThrownBy(() -> recover(b.bytes(), new HeapShm()))
                .isInstanceOf(CorruptDatabaseException.class).hasMessageContaining("3007001");
    }

    @Test
    void recoveryReplacesWhateverTheIndexHeldBefore() throws Exception {
        HeapShm shm = new HeapShm();
        WalIndexHashTable index = new WalIndexHashTable(shm);
        for (int f = 1; f <= 9000; f++) {
            index.append(f, 5); // an older, longer log generation
        }
        new WalIndexCheckpointInfo(shm).setNBackfill(9000);
        WalBuilder b = new WalBuilder(512, 18).commit(9, 9, 8).commit(9, 7);
        WalIndexHeader h = recover(b.bytes(), shm).header();
        assertThat(h.mxFrame()).isEqualTo(3);
        assertThat(index.find(5, 3, 1)).isZero();
        assertThat(index.find(9, 3, 1)).isEqualTo(1);
        assertThat(index.pageOf(4)).isZero();
        assertThat(index.pageOf(8000)).isZero();
        assertThat(new WalIndexCheckpointInfo(shm).nBackfill()).isZero();
    }

    @Test
    void checkpointInfoAfterRestartAndReadMarkBounds() throws Exception {
        HeapShm shm = new HeapShm();
        WalIndexCheckpointInfo info = new WalIndexCheckpointInfo(shm);
        info.resetAfterRecovery(50);
        info.setNBackfill(50);
        info.resetAfterRestart();
        assertThat(info.nBackfill()).isZero();
        assertThat(info.nBackfillAttempted()).isZero();
        assertThat(info.readMark(0)).isZero();
        assertThat(info.readMark(1)).isZero();
        assertThat(info.readMark(4)).isEqualTo(WalIndexFormat.READMARK_NOT_USED);
        assertThat(shm.getInt(100 + 4 * 4)).isEqualTo(-1);
        byte[] locks = new byte[8];
        shm.read(120, locks, 0, 8);
        assertThat(locks).containsOnly(0);
        assertThatThrownBy(() -> info.readMark(5)).isInstanceOf(IllegalArgumentException.class);
    }
}
