package io.snkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica node process ({@code snkv mount}) SIGKILLed while it receives or applies a SNAPSHOT of a 16 MiB
 * database, and restarted, five times: at the first spooled bytes, once the whole file is spooled (the apply
 * starting), once the replica's log has a first file (its new database's creation, a commit of its own), once the
 * snapshot is copied into its log (its transaction not yet committed), and after a random delay. It must converge
 * to the primary's position with the primary's entries, and nothing torn: its database passes the integrity check
 * and its full checksum is the position it reports. Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
@Tag("slow")
class NodeSnapshotKillTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());
    private static final String DB = "big.db";
    private static final int VALUES = 4096;
    private static final int VALUE_BYTES = 4000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aReplicaKilledMidSnapshotRestartsAndConvergesWithNothingTorn() throws Exception {
        System.out.println("[NodeSnapshotKillTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        // The database exists before its node does, so its log starts with one snapshot of all of it (TXID 1),
        // which a new replica gets as one SNAPSHOT frame.
        Files.createDirectories(dir.resolve("mnt1"));
        try (KVStore s = KVStore.open(dir.resolve("mnt1").resolve(DB))) {
            s.begin(true);
            for (int i = 0; i < VALUES; i++) {
                byte[] v = new byte[VALUE_BYTES];
                rnd.nextBytes(v);
                s.put(("key" + i).getBytes(StandardCharsets.US_ASCII), v);
            }
            s.commit();
        }
        Files.writeString(dir.resolve("primary.yml"), "fuse:\n  dir: ./mnt1\ndata:\n  dir: ./data1\nhttp:\n"
                + "  addr: \"127.0.0.1:0\"\nlease:\n  type: static\n  candidate: true\n  advertise-url: \"http://127.0.0.1:0\"\n");
        MountedNode primary = MountedNode.start(dir, "primary", dir.resolve("mnt1"));
        MountedNode replica = null;
        try {
            primary.awaitReady(60);
            Files.writeString(dir.resolve("replica.yml"), "fuse:\n  dir: ./mnt2\ndata:\n  dir: ./data2\nhttp:\n"
                    + "  addr: \"127.0.0.1:0\"\nlease:\n  type: static\n  candidate: false\n  hostname: host1\n"
                    + "  advertise-url: \"" + primary.url() + "\"\n  reconnect-delay: 100ms\n");
            try (KVStore s = KVStore.open(dir.resolve("mnt1").resolve(DB))) {
                s.put("after".getBytes(StandardCharsets.US_ASCII), "the node started".getBytes(StandardCharsets.US_ASCII));
            }
            Path logged = dir.resolve("data1/dbs").resolve(DB).resolve("ltx/0000000000000001-0000000000000001.ltx");
            long snapshotBytes = Files.size(logged);
            assertThat(snapshotBytes).as("the logged snapshot").isGreaterThan((long) VALUES * VALUE_BYTES);

            List<String> kills = new ArrayList<>();
            int midSnapshot = 0;
            Path pos = dir.resolve("data2/dbs").resolve(DB).resolve("pos");
            Path published = dir.resolve("data2/dbs").resolve(DB).resolve("ltx").resolve(logged.getFileName());
            // The primary's positions: its snapshot (TXID 1) and the commit after it (TXID 2).
            List<String> primaryPositions = List.of(String.format("%016x/%016x", 1, postApplyChecksum(logged)),
                    primary.position(DB));
            List<String> killPoints = List.of("receiving", "spooled", "creating", "publishing", "random");
            for (int cycle = 0; cycle < killPoints.size(); cycle++) {
                replica = MountedNode.start(dir, "replica", dir.resolve("mnt2"));
                Optional<Path> spool = awaitSnapshotSpool(replica, primary);
                if (spool.isEmpty()) {
                    kills.add("cycle " + cycle + ": the snapshot had been applied before; no kill");
                    replica.stop(); // restarted below like the others
                    break;
                }
                Path f = spool.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String when = switch (killPoints.get(cycle)) {
                    case "receiving" -> "at the first spooled bytes";
                    case "spooled" -> {
                        while (size(f) < snapshotBytes && Files.exists(f) && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        yield "once the whole snapshot was spooled (the apply starting)";
                    }
                    case "creating" -> {
                        // A new database's creation is a commit of its own, logged before the file is written.
                        while (!Files.exists(published) && Files.exists(f) && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        yield "once the replica's log had a first file";
                    }
                    case "publishing" -> {
                        while (!snapshotInLog() && Files.exists(f) && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        yield "once the snapshot was copied into the replica's log";
                    }
                    default -> {
                        long delay = rnd.nextInt(1500);
                        Thread.sleep(delay);
                        yield delay + " ms after the first spooled bytes";
                    }
                };
                long spooled = size(f);
                replica.kill();
                String applied = Files.exists(pos) ? Files.readString(pos, StandardCharsets.US_ASCII).trim() : "none";
                boolean mid = !primaryPositions.contains(applied); // the snapshot's transaction had not committed
                midSnapshot += mid ? 1 : 0;
                kills.add("cycle " + cycle + ": killed " + when + ", spool at " + (spooled < 0 ? "(gone)" : spooled) + " of "
                        + snapshotBytes + " bytes, replica log " + logFiles() + ", WAL " + size(dir.resolve("mnt2")
                        .resolve(DB + "-wal")) + " bytes, position " + applied + (mid ? " (mid-snapshot)" : ""));
            }
            kills.forEach(k -> System.out.println("[NodeSnapshotKillTest] " + k));
            assertThat(midSnapshot).as("kills that landed mid-snapshot: " + kills).isGreaterThan(0);

            replica = MountedNode.start(dir, "replica", dir.resolve("mnt2"));
            replica.awaitReady(60);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!replica.position(DB).equals(primary.position(DB))) {
                assertThat(System.nanoTime()).as("replica at " + replica.position(DB) + ", primary at "
                        + primary.position(DB) + "; replica log:\n" + replica.log()).isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            if (replica != null) {
                replica.stop();
            }
            primary.stop();
        }
        Path replicaDb = dir.resolve("mnt2").resolve(DB);
        LtxPosition reported = LtxPosition.parse(Files.readString(dir.resolve("data2/dbs").resolve(DB).resolve("pos"),
                StandardCharsets.US_ASCII).trim());
        try (KVStore s = KVStore.open(replicaDb, KVStoreConfig.builder().readOnly(true).build())) {
            assertThat(s.integrityCheck()).as("integrity of the replica's database").isEmpty();
            assertThat(s.checksum()).as("full checksum of the replica's database").isEqualTo(reported.checksum());
        }
        assertThat(contents(replicaDb)).isEqualTo(contents(dir.resolve("mnt1").resolve(DB)));
    }

    /**
     * Waits for this replica process's spool of the snapshot (its data dir's {@code tmp/big.db-*.ltx.tmp}, the first
     * file the stream brings); empty when the replica gets ready without one (a snapshot applied in an earlier cycle).
     */
    private Optional<Path> awaitSnapshotSpool(MountedNode replica, MountedNode primary) throws Exception {
        Path tmp = dir.resolve("data2/tmp");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            // Only once this process is up: it deletes the spools a killed one left behind as it starts.
            if (replica.url() != null && Files.isDirectory(tmp)) {
                try (Stream<Path> files = Files.list(tmp)) {
                    Optional<Path> spool = files.filter(f -> f.getFileName().toString().startsWith(DB + "-")).findFirst();
                    if (spool.isPresent() && size(spool.get()) > 0) {
                        return spool;
                    }
                } catch (IOException e) {
                    // a spool vanished while listed: look again
                }
            }
            if (replica.position(DB).equals(primary.position(DB))) {
                return Optional.empty();
            }
            assertThat(replica.isAlive()).as("replica process; its log:\n" + replica.log()).isTrue();
            Thread.sleep(1);
        }
        throw new AssertionError("the replica never spooled the snapshot; its log:\n" + replica.log());
    }

    /** Whether the replica's log holds a snapshot file (1-t) of the data, not only its empty database's creation. */
    private boolean snapshotInLog() throws IOException {
        Path ltx = dir.resolve("data2/dbs").resolve(DB).resolve("ltx");
        if (!Files.isDirectory(ltx)) {
            return false;
        }
        try (Stream<Path> files = Files.list(ltx)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("0000000000000001-[0-9a-f]{16}\\.ltx")
                    && size(f) > (long) VALUES * VALUE_BYTES);
        }
    }

    /** The post-apply checksum in an LTX file's trailer (its last 16 bytes: that, then the file checksum). */
    private static long postApplyChecksum(Path ltx) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(ltx.toFile(), "r")) {
            f.seek(f.length() - 16);
            return f.readLong();
        }
    }

    /** The replica's log files of the database, with their sizes. */
    private String logFiles() throws IOException {
        Path ltx = dir.resolve("data2/dbs").resolve(DB).resolve("ltx");
        if (!Files.isDirectory(ltx)) {
            return "[]";
        }
        try (Stream<Path> files = Files.list(ltx)) {
            return files.map(f -> f.getFileName() + " (" + size(f) + " bytes)").sorted().toList().toString();
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private static TreeMap<String, Integer> contents(Path db) {
        TreeMap<String, Integer> m = new TreeMap<>();
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build()); KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key(), StandardCharsets.US_ASCII), Arrays.hashCode(it.value()));
            }
        }
        return m;
    }
}
