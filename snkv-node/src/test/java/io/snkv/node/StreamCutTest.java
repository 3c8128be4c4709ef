package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.LtxPosition;
import io.snkv.node.stream.FrameType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's stream cut at every frame boundary and inside every frame (header, database name, file), each cut
 * once as a clean EOF and once as a lost connection. The stream is what a primary sends a new replica for a
 * recorded history (SNAPSHOT, HEARTBEAT, LTX files, READY, HEARTBEAT), served by a {@link FakePrimary}. After each
 * cut, before the replica may reconnect, its database must be at a whole transaction: that TXID's position, the
 * database's full checksum equal to it, every key's value as of that TXID; after a clean EOF exactly the last whole
 * file before the cut, after a lost connection any earlier one too (bytes in flight may be lost with it). Then,
 * reconnected, it must reach the primary's last position and contents. Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
class StreamCutTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());

    @TempDir
    Path dir;

    /** A frame of the stream: where it starts, its length, and the TXID the replica is at once it is whole. */
    private record Span(FrameType type, int start, int length, int txidAfter) {}

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aStreamCutAnywhereLeavesOnlyWholeTransactionsAndTheReplicaConverges() throws Exception {
        System.out.println("[StreamCutTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        RecordedHistory h = RecordedHistory.record(dir.resolve("primary"), new Random(SEED), 8, 4);
        // Names of one length, so every stream has the same frame offsets.
        String sample = name(0, false);
        List<Span> spans = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        frames.add(PrimaryFrames.snapshot(sample, h));
        frames.add(PrimaryFrames.heartbeat(sample, h.last()));
        for (int t = h.snapshotTxid() + 1; t <= h.lastTxid(); t++) {
            frames.add(PrimaryFrames.ltx(sample, h, t));
        }
        frames.add(PrimaryFrames.ready());
        frames.add(PrimaryFrames.heartbeat(sample, h.last()));
        int offset = 0;
        int txid = 0;
        for (byte[] f : frames) {
            FrameType type = PrimaryFrames.typeOf(f);
            txid = type == FrameType.SNAPSHOT ? h.snapshotTxid() : type == FrameType.LTX ? txid + 1 : txid;
            spans.add(new Span(type, offset, f.length, txid));
            offset += f.length;
        }
        int total = offset;
        TreeSet<Integer> cuts = new TreeSet<>();
        for (Span s : spans) {
            cuts.add(s.start()); // the boundary before the frame
            cuts.add(s.start() + 6); // inside the header
            if (s.length() > 12) {
                cuts.add(s.start() + 13); // inside the payload's first field (a name's length, a timestamp)
                cuts.add(s.start() + s.length() - 1); // the payload's last byte missing
            }
            if (s.type().carriesFile()) {
                cuts.add(s.start() + 12 + (s.length() - 12) / 2); // mid-file
            }
        }
        cuts.add(total); // everything, then EOF after the last heartbeat
        System.out.println("[StreamCutTest] " + spans.size() + " frames, " + total + " bytes, " + cuts.size()
                + " cut points, each as a clean EOF and as a lost connection");

        FaultThenGate primary = new FaultThenGate();
        try (FakePrimary fake = new FakePrimary(primary);
             Node replica = Node.start(new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2",
                     null, false, "host1", fake.url(), Duration.ofMinutes(10), Duration.ofMillis(20), List.of()))) {
            int run = 0;
            int behind = 0;
            for (int cut : cuts) {
                for (boolean abrupt : new boolean[] {false, true}) {
                    String name = name(run++, abrupt);
                    List<byte[]> named = new ArrayList<>();
                    for (byte[] f : frames) {
                        named.add(rename(f, sample, name));
                    }
                    primary.arm(name, h, new FakePrimary.Reply(PrimaryFrames.concat(named), cut, abrupt));
                    String what = name + ": cut at byte " + cut + " of " + total + " (" + where(spans, cut) + "), "
                            + (abrupt ? "connection lost" : "clean EOF");
                    assertThat(primary.awaitGate(30, TimeUnit.SECONDS)).as(what + ": the replica reconnected").isTrue();
                    int whole = 0;
                    for (Span s : spans) {
                        if (s.start() + s.length() <= cut) {
                            whole = s.txidAfter();
                        }
                    }
                    if (abrupt) {
                        // A lost connection may also lose bytes that were sent before it (the HTTP client drops
                        // what it buffered): any whole transaction up to the cut is right.
                        int at = h.txidOf(replica.position(name));
                        assertThat(at).as(what + ": TXID of " + replica.position(name) + " (at most " + whole + ")")
                                .isBetween(0, whole);
                        behind += at < whole ? 1 : 0;
                        h.assertAt(replica, dir.resolve("mnt2"), name, at, what);
                    } else {
                        h.assertAt(replica, dir.resolve("mnt2"), name, whole, what);
                    }
                    primary.release();
                    awaitPosition(replica, name, h.last(), what);
                    TreeMap<String, byte[]> got = RecordedHistory.read(dir.resolve("mnt2").resolve(name));
                    assertThat(RecordedHistory.differences(h.contents(h.lastTxid()), got)).as(what + ": contents after converging")
                            .isEmpty();
                }
            }
            System.out.println("[StreamCutTest] " + behind + " of " + cuts.size() + " lost connections also lost whole"
                    + " frames sent before the cut");
        }
    }

    private static void awaitPosition(Node replica, String name, LtxPosition want, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!replica.position(name).equals(want)) {
            assertThat(System.nanoTime()).as(what + ": replica stuck at " + replica.position(name) + ", primary at " + want)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static String name(int run, boolean abrupt) {
        return String.format("cut%04d%s.db", run, abrupt ? "L" : "E");
    }

    /** {@code frame} for database {@code to} instead of {@code from} (names of equal length; small frames as they are). */
    private static byte[] rename(byte[] frame, String from, String to) {
        byte[] out = frame.clone();
        FrameType type = PrimaryFrames.typeOf(frame);
        int at = type.carriesFile() ? 14 : type == FrameType.HEARTBEAT ? 12 + 8 + 4 + 2 : -1;
        if (at >= 0) {
            byte[] f = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] t = to.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(java.util.Arrays.copyOfRange(frame, at, at + f.length)).isEqualTo(f);
            System.arraycopy(t, 0, out, at, t.length);
        }
        return out;
    }

    private static String where(List<Span> spans, int cut) {
        for (Span s : spans) {
            if (cut == s.start()) {
                return "before " + s.type();
            }
            if (cut < s.start() + s.length()) {
                return (cut - s.start()) + " bytes into " + s.type() + " of " + s.length();
            }
        }
        return "after the last frame";
    }
}
