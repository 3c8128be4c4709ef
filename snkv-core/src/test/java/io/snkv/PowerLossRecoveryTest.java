package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.snkv.ltx.LtxFileName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Power loss at sync level NORMAL (REPLICATION.md 5.3), staged on disk: the database loses trailing commits
 * its log kept, or the log's newest file is torn, and the log was last opened in another boot without a
 * clean stop. The next open must find the log file the database is at, drop the files above it, and go on
 * from there; when no file matches, log a snapshot above every TXID used. A clean-stop marker, or the same
 * boot (a process crash, which loses no written page), leaves recovery to the ordinary checks.
 */
class PowerLossRecoveryTest {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    Path dir;
    Path db;
    Path saved;

    @BeforeEach
    void needsABootId(@org.junit.jupiter.api.io.TempDir Path tmp) {
        assumeThat(Files.isReadable(BOOT_ID)).as("the machine tells its boot ID").isTrue();
        dir = tmp;
        db = dir.resolve("p.db");
        saved = dir.resolve("saved.db");
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Path state() {
        return data().resolve("dbs/p.db");
    }

    private KVStoreConfig config(JournalMode mode) {
        return KVStoreConfig.builder().journalMode(mode).syncLevel(SyncLevel.NORMAL).changeCapture(data())
                .captureRetention(Duration.ofHours(1)).build();
    }

    private List<String> logNames() throws IOException {
        return CaptureReplayTest.logFiles(state().resolve("ltx")).stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Commits a0..a2 (TXIDs 2-4), keeps a copy of the database there, then b0..b2 (TXIDs 5-7). */
    private long buildHistory(JournalMode mode) throws IOException {
        long at4;
        try (KVStore s = KVStore.open(db, config(mode))) {
            for (int i = 0; i < 3; i++) {
                s.put("a" + i, "value a" + i);
            }
            at4 = s.checksum();
        }
        Files.copy(db, saved);
        try (KVStore s = KVStore.open(db, config(mode))) {
            for (int i = 0; i < 3; i++) {
                s.put("b" + i, "value b" + i);
            }
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(7);
        }
        return at4;
    }

    /** The database lost TXIDs 5-7; the machine rebooted; no clean stop was recorded. */
    private void losePowerAfterTxid4(boolean clean, boolean otherBoot) throws IOException {
        Files.copy(saved, db, StandardCopyOption.REPLACE_EXISTING);
        if (otherBoot) {
            Files.writeString(state().resolve("boot"), "00000000-0000-0000-0000-000000000000\n");
        }
        if (clean) {
            Files.writeString(state().resolve("clean"), "");
        } else {
            Files.deleteIfExists(state().resolve("clean"));
        }
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void commitsTheDatabaseLostAreDroppedFromTheLog(JournalMode mode) throws IOException {
        long at4 = buildHistory(mode);
        losePowerAfterTxid4(false, true);
        try (KVStore s = KVStore.open(db, config(mode))) {
            assertThat(s.capturePosition()).contains(new LtxPosition(4, at4));
            assertThat(s.getString("a2")).contains("value a2");
            assertThat(s.getString("b0")).isEmpty();
            s.put("c", "after");
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(5);
        }
        assertThat(logNames()).containsExactly(LtxFileName.format(1, 1), LtxFileName.format(2, 2),
                LtxFileName.format(3, 3), LtxFileName.format(4, 4), LtxFileName.format(5, 5));
        assertThat(Files.readString(state().resolve("boot")).trim()).isEqualTo(Files.readString(BOOT_ID).trim());
        CaptureLogCheck.verify(db, data(), config(mode), dir.resolve("scratch"), mode.name());
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aTornNewestFileIsDroppedAndTheDatabaseKeptWhereItIs(JournalMode mode) throws IOException {
        long at4 = buildHistory(mode);
        losePowerAfterTxid4(false, true);
        Path five = state().resolve("ltx").resolve(LtxFileName.format(5, 5));
        byte[] torn = Files.readAllBytes(five);
        java.util.Arrays.fill(torn, torn.length / 2, torn.length, (byte) 0); // its second half never reached the disk
        Files.write(five, torn);
        Files.delete(state().resolve("ltx").resolve(LtxFileName.format(6, 6)));
        Files.delete(state().resolve("ltx").resolve(LtxFileName.format(7, 7)));
        Files.writeString(state().resolve("pos"), new LtxPosition(5, 0x8000_0000_0000_1234L) + "\n");
        try (KVStore s = KVStore.open(db, config(mode))) {
            assertThat(s.capturePosition()).contains(new LtxPosition(4, at4));
        }
        assertThat(logNames()).doesNotContain(LtxFileName.format(5, 5)).hasSize(4);
        CaptureLogCheck.verify(db, data(), config(mode), dir.resolve("scratch"), mode.name());
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aDatabaseMatchingNoFileGetsASnapshotAboveEveryTxidUsed(JournalMode mode) throws IOException {
        buildHistory(mode);
        losePowerAfterTxid4(false, true);
        try (KVStore plain = KVStore.open(db, KVStoreConfig.builder().journalMode(mode).build())) {
            plain.put("stray", "a commit without the log"); // a state no log file describes
        }
        try (KVStore s = KVStore.open(db, config(mode))) {
            LtxPosition p = s.capturePosition().orElseThrow();
            assertThat(p.txid()).isEqualTo(8); // above TXID 7, which replicas may hold
            assertThat(p.checksum()).isEqualTo(s.checksum());
            assertThat(s.getString("stray")).contains("a commit without the log");
        }
        assertThat(logNames()).containsExactly(LtxFileName.format(1, 8));
        CaptureLogCheck.verify(db, data(), config(mode), dir.resolve("scratch"), mode.name());
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void withinOneBootTheOrdinaryChecksDecide(JournalMode mode) throws IOException {
        buildHistory(mode);
        losePowerAfterTxid4(false, false); // same boot: the staged state reads as a database changed behind the log
        try (KVStore s = KVStore.open(db, config(mode))) {
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(8);
        }
        assertThat(logNames()).containsExactly(LtxFileName.format(1, 8));
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aCleanStopMarkerIsTrustedAndRemovedAtOpen(JournalMode mode) throws IOException {
        buildHistory(mode);
        losePowerAfterTxid4(true, true);
        try (KVStore s = KVStore.open(db, config(mode))) {
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(8); // no power-loss search
            assertThat(Files.exists(state().resolve("clean"))).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SyncLevel.class, names = {"NORMAL", "FULL"})
    void theLastConnectionMarksACleanStopInWalMode(SyncLevel level) throws IOException {
        KVStoreConfig cfg = config(JournalMode.WAL).toBuilder().syncLevel(level).build();
        try (KVStore s = KVStore.open(db, cfg); KVStore second = KVStore.open(db, cfg)) {
            s.put("k", "v");
            assertThat(Files.exists(state().resolve("clean"))).isFalse();
        }
        assertThat(Files.exists(state().resolve("clean"))).isTrue();
        try (KVStore s = KVStore.open(db, cfg)) {
            assertThat(Files.exists(state().resolve("clean"))).isFalse();
            assertThat(s.getString("k")).contains("v");
        }
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aDatabaseEmptiedByThePowerLossStartsItsLogAgain(JournalMode mode) throws IOException {
        buildHistory(mode);
        losePowerAfterTxid4(false, true);
        Files.write(db, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        try (KVStore s = KVStore.open(db, config(mode))) {
            assertThat(s.count()).isZero();
            s.put("k", "v");
            assertThat(s.capturePosition().orElseThrow().txid()).isEqualTo(2);
        }
        assertThat(logNames()).containsExactly(LtxFileName.format(1, 1), LtxFileName.format(2, 2));
        CaptureLogCheck.verify(db, data(), config(mode), dir.resolve("scratch"), mode.name());
        assertThat(new String(Files.readAllBytes(state().resolve("boot")), StandardCharsets.US_ASCII)).isNotBlank();
    }
}
