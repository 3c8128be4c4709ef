package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snkv.ltx.LtxFileName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Change capture's recovery, gap detection, apply refusals, snapshots and retention, case by case. */
class CaptureRecoveryTest {
    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private Path ltxDir(String name) {
        return data().resolve("dbs").resolve(name).resolve("ltx");
    }

    private KVStoreConfig capturing(JournalMode mode) {
        return KVStoreConfig.builder().journalMode(mode).changeCapture(data()).captureRetention(Duration.ZERO).build();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void everyCommitIsOneFileAndThePositionSurvivesReopening(JournalMode mode) throws IOException {
        Path db = dir.resolve("a.db");
        LtxPosition p;
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            assertThat(s.capturePosition()).hasValueSatisfying(x -> assertThat(x.txid()).isEqualTo(1));
            for (int i = 0; i < 5; i++) {
                s.put(b("k" + i), b("v" + i));
            }
            s.delete(b("absent")); // changes nothing: no file
            p = s.capturePosition().orElseThrow();
            assertThat(p.txid()).isEqualTo(6);
            assertThat(p.checksum()).isEqualTo(s.checksum());
        }
        assertThat(CaptureReplayTest.logFiles(ltxDir("a.db"))).extracting(f -> f.getFileName().toString())
                .containsExactly(LtxFileName.format(1, 1), LtxFileName.format(2, 2), LtxFileName.format(3, 3),
                        LtxFileName.format(4, 4), LtxFileName.format(5, 5), LtxFileName.format(6, 6));
        assertThat(Files.readString(data().resolve("dbs/a.db/pos"))).hasSize(34).isEqualTo(p + "\n");
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            assertThat(s.capturePosition()).contains(p);
            s.put(b("k9"), b("v9"));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(7);
        }
        CaptureLogCheck.verify(db, data(), capturing(mode), dir.resolve("scratch"), mode.name());
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aPublishedFileWithoutItsCommitIsRolledForwardAtOpen(JournalMode mode) throws IOException {
        Path db = dir.resolve("r.db");
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            s.put(b("a"), b("1"));
        }
        Path saved = dir.resolve("saved");
        Files.createDirectories(saved);
        Files.copy(db, saved.resolve("r.db"));
        Files.copy(data().resolve("dbs/r.db/pos"), saved.resolve("pos"));
        Files.copy(data().resolve("dbs/r.db/mark"), saved.resolve("mark"));
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            s.put(b("b"), b("2"));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(3);
        }
        // A writer that died right after publishing 3-3: database and position from before it.
        Files.copy(saved.resolve("r.db"), db, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(saved.resolve("pos"), data().resolve("dbs/r.db/pos"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(saved.resolve("mark"), data().resolve("dbs/r.db/mark"), StandardCopyOption.REPLACE_EXISTING);
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            assertThat(s.get(b("b"))).as("the commit the log holds").hasValueSatisfying(v -> assertThat(v).isEqualTo(b("2")));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(3);
            s.put(b("c"), b("3"));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(4);
        }
        CaptureLogCheck.verify(db, data(), capturing(mode), dir.resolve("scratch"), mode.name());
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aCommitWithoutCaptureMakesTheNextCapturingWriterLogASnapshot(JournalMode mode) throws IOException {
        Path db = dir.resolve("g.db");
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            s.put(b("a"), b("1"));
            s.put(b("b"), b("2"));
        }
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().journalMode(mode).build())) {
            s.put(b("sneaky"), b("uncaptured"));
        }
        try (KVStore s = KVStore.open(db, capturing(mode))) {
            LtxPosition p = s.capturePosition().orElseThrow();
            assertThat(p.txid()).as("the gap became a snapshot at the next TXID").isEqualTo(4);
            assertThat(p.checksum()).isEqualTo(s.checksum());
            s.put(b("c"), b("3"));
        }
        assertThat(CaptureReplayTest.logFiles(ltxDir("g.db"))).extracting(f -> f.getFileName().toString())
                .as("the snapshot replaces the files before it")
                .containsExactly(LtxFileName.format(1, 4), LtxFileName.format(5, 5));
        CaptureLogCheck.verify(db, data(), capturing(mode), dir.resolve("scratch"), mode.name());
    }

    @Test
    void aLargeCommitIsEncodedOnSeveralThreadsAndStillReplays() throws IOException {
        Path db = dir.resolve("big.db");
        java.util.Random r = new java.util.Random(5);
        try (KVStore s = KVStore.open(db, capturing(JournalMode.WAL))) {
            s.begin(true);
            for (int i = 0; i < 2000; i++) {
                byte[] v = new byte[r.nextInt(3000)];
                r.nextBytes(v);
                s.put(b("key" + i), v);
            }
            s.commit();
            assertThat(s.capturePosition().orElseThrow().checksum()).isEqualTo(s.checksum());
        }
        Path file = ltxDir("big.db").resolve(LtxFileName.format(2, 2));
        assertThat(CaptureReplayTest.header(file).commit()).as("pages in the commit").isGreaterThan(500);
        CaptureLogCheck.verify(db, data(), capturing(JournalMode.WAL), dir.resolve("scratch"), "large commit");
    }

    @Test
    void aCheckpointWithoutCaptureIsNotMistakenForAGap() throws IOException {
        Path db = dir.resolve("c.db");
        try (KVStore s = KVStore.open(db, capturing(JournalMode.WAL))) {
            s.put(b("a"), b("1"));
            try (KVStore other = KVStore.open(db, KVStoreConfig.builder().build())) {
                other.checkpoint(CheckpointMode.TRUNCATE); // restarts the log: a different state mark, same content
            }
            s.put(b("b"), b("2"));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(3);
        }
        assertThat(CaptureReplayTest.logFiles(ltxDir("c.db"))).hasSize(3);
        CaptureLogCheck.verify(db, data(), capturing(JournalMode.WAL), dir.resolve("scratch"), "checkpoint");
    }

    @Test
    void applyRefusesWhatDoesNotFitAndChangesNothing() throws IOException {
        Path a = dir.resolve("a.db");
        try (KVStore s = KVStore.open(a, capturing(JournalMode.WAL))) {
            s.put(b("x"), b("1"));
            s.put(b("y"), b("2"));
        }
        List<Path> files = CaptureReplayTest.logFiles(ltxDir("a.db"));
        Path b = dir.resolve("b.db");
        KVStore.restoreSnapshot(files.get(0), b);
        KVStoreConfig bcfg = KVStoreConfig.builder().changeCapture(dir.resolve("data-b")).build();
        try (KVStore s = KVStore.open(b, bcfg)) {
            long before = s.checksum();
            assertThatThrownBy(() -> s.applyLtx(files.get(2))).isInstanceOf(KVException.class)
                    .hasMessageContaining("starts at TXID 3").hasMessageContaining("at TXID 1");
            Path flipped = dir.resolve("flipped.ltx");
            byte[] bytes = Files.readAllBytes(files.get(1));
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(flipped, bytes);
            assertThatThrownBy(() -> s.applyLtx(flipped)).isInstanceOf(KVException.class)
                    .satisfies(e -> assertThat(((KVException) e).code()).isEqualTo(ErrorCode.CORRUPT))
                    .hasMessageContaining("offset");
            assertThat(s.checksum()).isEqualTo(before);
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(1);
            s.applyLtx(files.get(1));
            s.applyLtx(files.get(2));
            assertThat(s.get(b("y"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("2")));
        }
        // Without capture the pre-apply checksum is checked against the database itself.
        Path c = dir.resolve("c.db");
        KVStore.restoreSnapshot(files.get(0), c);
        try (KVStore s = KVStore.open(c)) {
            assertThatThrownBy(() -> s.applyLtx(files.get(2))).isInstanceOf(KVException.class)
                    .hasMessageContaining("pre-apply checksum");
        }
        assertThatThrownBy(() -> KVStore.restoreSnapshot(files.get(0), c)).isInstanceOf(KVException.class)
                .hasMessageContaining("exists");
        assertThatThrownBy(() -> KVStore.restoreSnapshot(files.get(1), dir.resolve("d.db"))).isInstanceOf(KVException.class)
                .hasMessageContaining("not a snapshot");
    }

    @Test
    void aSnapshotOfALiveStoreRestoresToTheSameContentAndPosition() throws IOException {
        Path a = dir.resolve("s.db");
        try (KVStore s = KVStore.open(a, capturing(JournalMode.WAL))) {
            for (int i = 0; i < 300; i++) {
                s.put(b("key" + i), new byte[i * 37]);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LtxPosition p = s.writeSnapshot(out);
            assertThat(p).isEqualTo(s.capturePosition().orElseThrow());
            s.put(b("after"), b("snapshot"));
            Path snap = dir.resolve("snap.ltx");
            Files.write(snap, out.toByteArray());
            Path r = dir.resolve("restored.db");
            assertThat(KVStore.restoreSnapshot(snap, r)).isEqualTo(p);
            try (KVStore restored = KVStore.open(r)) {
                assertThat(restored.checksum()).isEqualTo(p.checksum());
                assertThat(restored.count()).isEqualTo(300);
                assertThat(restored.exists(b("after"))).isFalse();
            }
        }
    }

    @Test
    void writersCommitWhileASnapshotIsBeingCopied() throws Exception {
        Path a = dir.resolve("w.db");
        try (KVStore s = KVStore.open(a, capturing(JournalMode.WAL))) {
            for (int i = 0; i < 200; i++) {
                s.put(b("key" + i), new byte[500]);
            }
            java.util.concurrent.CountDownLatch committed = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch copying = new java.util.concurrent.CountDownLatch(1);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            java.io.OutputStream slow = new java.io.OutputStream() {
                @Override
                public void write(int x) {
                    sink.write(x);
                }

                @Override
                public void write(byte[] buf, int off, int len) {
                    copying.countDown();
                    try {
                        // The copy stalls until a writer has committed: it must not hold the write lock.
                        if (!committed.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new IllegalStateException("no commit while the snapshot was being copied");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    sink.write(buf, off, len);
                }
            };
            java.util.concurrent.CompletableFuture<LtxPosition> snap =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> s.writeSnapshot(slow));
            assertThat(copying.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            s.put(b("during"), b("the copy"));
            committed.countDown();
            LtxPosition p = snap.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(p.txid() + 1);
            Path file = dir.resolve("live.ltx");
            Files.write(file, sink.toByteArray());
            Path r = dir.resolve("live.db");
            KVStore.restoreSnapshot(file, r);
            try (KVStore restored = KVStore.open(r)) {
                assertThat(restored.count()).isEqualTo(200);
                assertThat(restored.exists(b("during"))).as("the snapshot is of the state before the commit").isFalse();
            }
        }
    }

    @Test
    void retentionKeepsRecentFilesAndAlwaysTheNewest() throws IOException {
        Path db = dir.resolve("t.db");
        Instant now = Instant.now();
        MutableClock clock = new MutableClock(now);
        KVStoreConfig cfg = KVStoreConfig.builder().changeCapture(data()).captureRetention(Duration.ofMinutes(10))
                .clock(clock).build();
        try (KVStore s = KVStore.open(db, cfg)) {
            for (int i = 0; i < 4; i++) {
                s.put(b("k" + i), b("v"));
            }
            assertThat(s.enforceCaptureRetention()).isZero();
            clock.now = now.plus(Duration.ofMinutes(11));
            assertThat(s.enforceCaptureRetention()).isEqualTo(4);
            assertThat(CaptureReplayTest.logFiles(ltxDir("t.db"))).extracting(f -> f.getFileName().toString())
                    .containsExactly(LtxFileName.format(5, 5));
            s.put(b("k9"), b("v"));
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(6);
        }
    }

    @Test
    void compactionReplacesARangeWithOneFileThatAppliesTheSame() throws IOException {
        Path db = dir.resolve("k.db");
        try (KVStore s = KVStore.open(db, capturing(JournalMode.WAL))) {
            for (int i = 0; i < 8; i++) {
                s.put(b("k" + (i % 3)), new byte[100 * i]);
            }
            assertThatThrownBy(() -> s.compactCaptureLog(3, 12)).isInstanceOf(KVException.class)
                    .hasMessageContaining("above the position");
            Path f = s.compactCaptureLog(3, 6);
            assertThat(f.getFileName().toString()).isEqualTo(LtxFileName.format(3, 6));
            assertThatThrownBy(() -> s.compactCaptureLog(4, 7)).isInstanceOf(KVException.class)
                    .hasMessageContaining("no file starting at TXID 4");
            s.compactCaptureLog(1, 2);
        }
        assertThat(CaptureReplayTest.logFiles(ltxDir("k.db"))).extracting(p -> p.getFileName().toString())
                .containsExactly(LtxFileName.format(1, 2), LtxFileName.format(3, 6), LtxFileName.format(7, 7),
                        LtxFileName.format(8, 8), LtxFileName.format(9, 9));
        CaptureLogCheck.verify(db, data(), capturing(JournalMode.WAL), dir.resolve("scratch"), "compacted");
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aFileAppliedWithMoveIntoLogIsMovedThereAndAFailedOneStays() throws IOException {
        Path source = dir.resolve("src.db");
        try (KVStore s = KVStore.open(source, capturing(JournalMode.WAL))) {
            s.put(b("a"), b("1"));
            s.put(b("b"), b("2"));
        }
        Path scratch = Files.createDirectories(dir.resolve("received"));
        KVStoreConfig target = KVStoreConfig.builder().changeCapture(dir.resolve("data2")).build();
        Path targetLog = dir.resolve("data2/dbs/dst.db/ltx");
        try (KVStore t = KVStore.open(dir.resolve("dst.db"), target)) {
            for (long txid = 1; txid <= 3; txid++) {
                String name = LtxFileName.format(txid == 1 ? 1 : txid, txid);
                Path received = scratch.resolve(name + ".recv");
                Files.copy(ltxDir("src.db").resolve(name), received);
                if (txid == 3) {
                    Path early = scratch.resolve("again.recv");
                    Files.copy(received, early);
                    Files.delete(ltxDir("src.db").resolve(name));
                }
                t.applyLtx(received, true);
                assertThat(received).doesNotExist();
                assertThat(targetLog.resolve(name)).exists();
            }
            assertThat(t.getString("b")).contains("2");
            Path again = scratch.resolve("again.recv");
            assertThatThrownBy(() -> t.applyLtx(again, true)).isInstanceOf(KVException.class);
            assertThat(again).exists(); // a file that does not apply stays where it was
        }
    }

    @Test
    void aSnapshotEndingWhereTheLogEndsReplacesEveryOtherFile() throws IOException {
        Path source = dir.resolve("s.db");
        Path snapshot = dir.resolve("snapshot.ltx");
        try (KVStore s = KVStore.open(source, capturing(JournalMode.WAL))) {
            s.put(b("a"), b("1"));
            try (java.io.OutputStream out = Files.newOutputStream(snapshot)) {
                assertThat(s.writeSnapshot(out).txid()).isEqualTo(2);
            }
        }
        KVStoreConfig target = KVStoreConfig.builder().changeCapture(dir.resolve("data2")).build();
        Path targetLog = dir.resolve("data2/dbs/t.db/ltx");
        try (KVStore t = KVStore.open(dir.resolve("t.db"), target)) {
            t.applyLtx(ltxDir("s.db").resolve(LtxFileName.format(1, 1)));
            t.applyLtx(ltxDir("s.db").resolve(LtxFileName.format(2, 2)));
            t.applyLtx(snapshot); // the same position again, as a replica resyncing gets it
            assertThat(t.getString("a")).contains("1");
        }
        try (var files = Files.list(targetLog)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(LtxFileName.format(1, 2));
        }
    }
}
