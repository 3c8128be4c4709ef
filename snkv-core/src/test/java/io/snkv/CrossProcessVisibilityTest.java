package io.snkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An open store sees what other processes commit, without reopening; a read transaction keeps its snapshot
 * while another process commits and checkpoints; a read-only open reads a store another process is writing.
 */
@Tag("multiprocess")
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrossProcessVisibilityTest {
    @TempDir
    Path dir;

    private static KVStoreConfig config(JournalMode mode) {
        return KVStoreConfig.builder().journalMode(mode).busyTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    void anOpenStoreSeesAnotherProcessesCommits(JournalMode mode) throws Exception {
        Path db = dir.resolve("seen.db");
        try (SharingChild.Group kids = new SharingChild.Group(dir); KVStore store = KVStore.open(db, config(mode))) {
            store.put("k", "v0");
            assertThat(store.getString("k")).contains("v0"); // our own cache now holds the page

            // A child that commits and exits (closing its store, which checkpoints in WAL mode).
            SharingChild exits = kids.start("put-exit-" + mode, "put", "db=" + db, "mode=" + mode, "key=k",
                    "value=v1", "seconds=60");
            SharingChild.awaitAllSucceed(List.of(exits), 60_000, mode + " put child");
            assertThat(store.getString("k")).as("a get after the child's commit and exit").contains("v1");
            store.begin(false);
            assertThat(store.getString("k")).as("a read transaction after the child's commit").contains("v1");
            store.commit();

            // A child that commits and stays open.
            SharingChild stays = kids.startWithStdin("put-stay-" + mode, "put", "db=" + db, "mode=" + mode,
                    "key=k", "value=v2", "hold=true", "seconds=60");
            assertThat(stays.awaitLine("PUT", 30_000)).as("%s", stays.describe()).isNotNull();
            store.begin(false);
            assertThat(store.getString("k")).as("a read transaction while the writing child stays open")
                    .contains("v2");
            store.commit();
            assertThat(store.getString("k")).contains("v2");
            // And the other way round: the child is still open; our commit, then its close.
            store.put("k", "v3");
            stays.sendLine("close");
            SharingChild.awaitAllSucceed(List.of(stays), 30_000, mode + " holding put child");
            assertThat(store.getString("k")).contains("v3");
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.integrityCheck()).isEmpty();
        }
        try (KVStore store = KVStore.open(db, config(mode))) {
            assertThat(store.getString("k")).contains("v3");
        }
    }

    @Test
    void aReadTransactionKeepsItsSnapshotWhileAnotherProcessCommits() throws Exception {
        Path db = dir.resolve("snapshot.db");
        try (SharingChild.Group kids = new SharingChild.Group(dir);
             KVStore store = KVStore.open(db, config(JournalMode.WAL))) {
            store.put("k", "old");
            store.begin(false);
            assertThat(store.getString("k")).contains("old");

            SharingChild child = kids.start("put-during-read", "put", "db=" + db, "mode=WAL", "key=k", "value=new",
                    "seconds=60");
            SharingChild.awaitAllSucceed(List.of(child), 60_000, "WAL put child");
            assertThat(store.getString("k")).as("inside the read transaction begun before the child's commit")
                    .contains("old");
            assertThat(StoreContents.read(store)).hasSize(1);
            store.commit();
            assertThat(store.getString("k")).as("after the read transaction ended").contains("new");
        }
    }

    /**
     * A snapshot survives another process's many commits (several WAL pages per key, the tree reshaped) and
     * its checkpoints: a PASSIVE one must not copy back pages newer than our snapshot, a RESTART one must
     * not restart the log under us.
     */
    @Test
    void aReadTransactionKeepsItsSnapshotThroughAnotherProcessesCheckpoints() throws Exception {
        Path db = dir.resolve("checkpointed.db");
        int keys = 300;
        int size = 700;
        try (SharingChild.Group kids = new SharingChild.Group(dir);
             KVStore store = KVStore.open(db, config(JournalMode.WAL))) {
            store.begin(true);
            for (int i = 0; i < keys; i++) {
                store.put(("key-" + i).getBytes(StandardCharsets.US_ASCII), SharingChildMain.bulkValue("A", i, size));
            }
            store.commit();

            store.begin(false);
            assertValue(store, "key-0", SharingChildMain.bulkValue("A", 0, size), "inside our read transaction");
            for (String mode : List.of("PASSIVE", "RESTART", "FULL")) {
                String tag = "B-" + mode;
                SharingChild child = kids.startWithStdin("bulk-" + mode, "bulk", "db=" + db, "mode=WAL",
                        "prefix=key", "count=" + keys, "size=" + (size + 300), "per=37", "tag=" + tag,
                        "checkpoint=" + mode, "busyMs=300", "seconds=60");
                String done = child.awaitLine("DONE", 60_000);
                assertThat(done).as("%s", child.describe()).isNotNull();
                System.out.println("[CrossProcessVisibilityTest] child's " + mode + " checkpoint during our read: "
                        + child.lastLine("CHECKPOINT"));
                // Still our snapshot: every key holds its first value.
                for (int i = 0; i < keys; i++) {
                    assertValue(store, "key-" + i, SharingChildMain.bulkValue("A", i, size),
                            "inside our read transaction after the child's " + mode + " checkpoint");
                }
                assertThat(StoreContents.read(store)).hasSize(keys);
                child.sendLine("close");
                SharingChild.awaitAllSucceed(List.of(child), 30_000, "bulk child " + mode);
            }
            assertThat(store.integrityCheck()).as("integrityCheck() inside the old snapshot").isEmpty();
            store.commit();

            for (int i = 0; i < keys; i++) {
                assertValue(store, "key-" + i, SharingChildMain.bulkValue("B-FULL", i, size + 300),
                        "after our read transaction");
            }
            assertThat(store.count()).isEqualTo(keys);
            assertThat(store.integrityCheck()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} journal")
    @EnumSource(value = JournalMode.class, names = {"WAL", "DELETE"})
    void aReadOnlyOpenReadsWhileAnotherProcessWrites(JournalMode mode) throws Exception {
        Path db = dir.resolve("readonly.db");
        Path stop = dir.resolve("stop-writer");
        try (KVStore create = KVStore.open(db, config(mode))) {
            create.put("init", "1");
        }
        try (SharingChild.Group kids = new SharingChild.Group(dir)) {
            SharingChild writer = kids.start("counter-writer-" + mode, "counter-writer", "db=" + db, "mode=" + mode,
                    "stop=" + stop, "seconds=60", "walSizeLimit=25");
            assertThat(writer.awaitLine("COMMITTED ", 30_000)).as("%s", writer.describe()).isNotNull();

            KVStoreConfig readOnly = config(mode).toBuilder().readOnly(true).build();
            try (KVStore ro = KVStore.open(db, readOnly)) {
                long first = -1;
                long last = -1;
                long reads = 0;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < until && reads < 100_000) {
                    try {
                        ro.begin(false);
                        long a = counter(ro, "ctr-a");
                        long b = counter(ro, "ctr-b");
                        ro.commit();
                        assertThat(b).as("ctr-b in the same snapshot as ctr-a = %d", a).isEqualTo(a);
                        assertThat(a).as("the counter never goes back").isGreaterThanOrEqualTo(last);
                        if (first < 0) {
                            first = a;
                        }
                        last = a;
                        reads++;
                    } catch (BusyException e) {
                        if (ro.inTransaction()) {
                            ro.rollback();
                        }
                    }
                    Thread.sleep(2);
                }
                System.out.println("[CrossProcessVisibilityTest] read-only " + mode + ": " + reads
                        + " snapshots, counter " + first + " -> " + last);
                assertThat(reads).isPositive();
                assertThat(last).as("the read-only store saw the writer's later commits without reopening")
                        .isGreaterThan(first);
                assertThatThrownBy(() -> ro.put("ctr-a", "x")).isInstanceOf(ReadOnlyException.class);

                Files.createFile(stop);
                SharingChild.awaitAllSucceed(List.of(writer), 30_000, mode + " counter writer");
                String closed = writer.lastLine("CLOSED ");
                long finalCounter = Long.parseLong(closed.split(" ")[1]);
                assertThat(counter(ro, "ctr-a")).as("after the writer closed").isEqualTo(finalCounter);
                assertThat(counter(ro, "ctr-b")).isEqualTo(finalCounter);
                assertThat(ro.integrityCheck()).isEmpty();
            }
        }
    }

    /** Compares without printing kilobytes of bytes: length and the first bytes identify the version. */
    private static void assertValue(KVStore store, String key, byte[] expected, String when) {
        Optional<byte[]> v = store.get(key.getBytes(StandardCharsets.US_ASCII));
        if (v.isEmpty() || !Arrays.equals(v.get(), expected)) {
            throw new AssertionError(key + " " + when + ": expected " + StoreContents.describe(expected) + " but found "
                    + v.map(StoreContents::describe).orElse("nothing"));
        }
    }

    private static long counter(KVStore store, String key) {
        byte[] v = store.get(key.getBytes(StandardCharsets.US_ASCII))
                .orElseThrow(() -> new AssertionError(key + " is missing"));
        return SharingChildMain.longOf(v, key);
    }
}
