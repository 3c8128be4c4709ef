package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's database changed on purpose behind its node (REPLICATION.md 2.5: a pre-apply checksum that is not the
 * local one; 5.3): written through a store with a change log of its own while the node runs, or a byte of a value
 * flipped in the file while the node is stopped. Once the primary commits again the replica must notice (its next
 * file does not apply), ask for a snapshot by reporting the zero position, and end with the primary's position and
 * exact bytes; and a reader of the replica must never get a wrong value once the replica is in step again (it may
 * see the damage before). Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
class ReplicaTamperTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());

    @TempDir
    Path dir;

    private NodeSettings primary() {
        return new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1", null, true, null, null,
                Duration.ofMinutes(10), Duration.ofMillis(50), List.of());
    }

    private NodeSettings replica(Node primary) {
        return new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2", null, false, "host1",
                primary.httpUrl(), Duration.ofMinutes(10), Duration.ofMillis(50), List.of());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aReplicaDatabaseWrittenBehindItsRunningNodeIsReplacedByASnapshot() throws Exception {
        System.out.println("[ReplicaTamperTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        SequencedWorkload w = new SequencedWorkload(dir.resolve("mnt1/t.db"), new Random(SEED));
        try (Node p = Node.start(primary()); Node r = Node.start(replica(p))) {
            LtxPosition at = w.commit(20);
            await(r, at);
            String victim = victim(w);
            // Another application writes to the replica's file with a change log of its own (the node's hook
            // does not attach a store that names its own capture directory).
            try (KVStore s = KVStore.open(dir.resolve("mnt2/t.db"),
                    KVStoreConfig.builder().changeCapture(dir.resolve("elsewhere")).build())) {
                s.put(victim, "tampered");
            }
            assertThat(RecordedHistory.read(dir.resolve("mnt2/t.db")).get(victim)).as("the damage is there")
                    .isEqualTo("tampered".getBytes(StandardCharsets.UTF_8));
            repairedWhileRead(r, w, true);
        }
        assertByteIdentical();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aReplicaDatabaseFileDamagedWhileItsNodeIsStoppedIsReplacedByASnapshot() throws Exception {
        System.out.println("[ReplicaTamperTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        SequencedWorkload w = new SequencedWorkload(dir.resolve("mnt1/t.db"), new Random(SEED));
        try (Node p = Node.start(primary())) {
            try (Node r = Node.start(replica(p))) {
                await(r, w.commit(20));
            }
            // A byte inside one value's bytes on a leaf page, flipped in the file: still a valid b-tree.
            Path file = dir.resolve("mnt2/t.db");
            assertThat(dir.resolve("mnt2/t.db-wal")).as("checkpointed at close").satisfiesAnyOf(
                    f -> assertThat(f).doesNotExist(), f -> assertThat(Files.size(f)).isZero());
            String victim = victim(w);
            byte[] value = w.current().get(victim).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = Files.readAllBytes(file);
            int at = indexOf(bytes, value, 0);
            assertThat(at).as("the value of " + victim + " in the file").isNotNegative();
            assertThat(indexOf(bytes, value, at + 1)).as("the value of " + victim + " is in the file once").isNegative();
            bytes[at + 1] ^= 0x20; // "value" becomes "vAlue"
            Files.write(file, bytes);
            assertThat(RecordedHistory.read(file).get(victim)).as("the damage is there").isNotEqualTo(value);
            try (Node r = Node.start(replica(p))) {
                repairedWhileRead(r, w, false);
            }
        }
        assertByteIdentical();
    }

    /**
     * The primary commits; the replica must take a snapshot and reach the primary's position, while a reader that
     * began once the snapshot was applied never gets a wrong value, through more commits after it. A running node
     * finds the damage when a file does not apply; a starting one when it opens the database (its position then
     * names the damaged state, which the primary answers with a snapshot too).
     */
    private void repairedWhileRead(Node r, SequencedWorkload w, boolean foundByApply) throws Exception {
        double snapshotsBefore = snapshots(r);
        double applyErrors = r.metrics().streamErrors.labelValues("replica", "apply").get();
        BooleanSupplier inStep = () -> snapshots(r) > snapshotsBefore;
        ReplicaReader reader = new ReplicaReader(dir.resolve("mnt2/t.db"), w, inStep);
        try {
            LtxPosition at = w.commit(3);
            await(r, at);
            assertThat(snapshots(r)).as("snapshots received").isGreaterThan(snapshotsBefore);
            if (foundByApply) {
                assertThat(r.metrics().streamErrors.labelValues("replica", "apply").get()).as("files that did not apply")
                        .isGreaterThan(applyErrors);
            }
            for (int i = 0; i < 10; i++) {
                at = w.commit(1);
                long reads = reader.readsInStep.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (reader.readsInStep.get() < reads + 5 && reader.errors.isEmpty()) {
                    assertThat(System.nanoTime()).as("reads of the replica").isLessThan(deadline);
                    Thread.sleep(2);
                }
            }
            await(r, at);
        } finally {
            reader.close();
        }
        System.out.println("[ReplicaTamperTest] reads in step " + reader.readsInStep.get() + ", wrong reads before the "
                + "repair " + reader.wrongBefore.get());
        assertThat(reader.errors).as("reader errors").isEmpty();
        assertThat(reader.wrongInStep).as("wrong reads once in step again").isEmpty();
        assertThat(RecordedHistory.differences(RecordedHistory.read(dir.resolve("mnt1/t.db")),
                RecordedHistory.read(dir.resolve("mnt2/t.db")))).as("replica contents").isEmpty();
    }

    /** Both nodes stopped (so both files are checkpointed): the replica's file is the primary's, byte for byte. */
    private void assertByteIdentical() throws Exception {
        assertThat(Files.readAllBytes(dir.resolve("mnt2/t.db"))).as("replica file")
                .isEqualTo(Files.readAllBytes(dir.resolve("mnt1/t.db")));
    }

    /** A key the workload holds, other than the sequence number. */
    private static String victim(SequencedWorkload w) {
        return w.current().keySet().stream().filter(k -> !k.equals(SequencedWorkload.SEQ)).findFirst().orElseThrow();
    }

    private static double snapshots(Node r) {
        return r.metrics().snapshotsReceived.labelValues("t.db").get();
    }

    private static void await(Node r, LtxPosition want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!r.position("t.db").equals(want)) {
            assertThat(System.nanoTime()).as("replica at " + r.position("t.db") + ", primary at " + want).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = from; i <= in.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
