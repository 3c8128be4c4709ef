package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.node.stream.FrameType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames a correct primary never sends (REPLICATION.md 2.5, PROTOCOL row): an unknown type, non-zero flags or
 * reserved bytes, a payload length over the type's maximum or over the data dir's free space, a bad database
 * name, an LTX frame carrying a snapshot (min TXID 1), a SNAPSHOT frame carrying an LTX file (min TXID not 1).
 * Each comes after a few good files and is followed by the next good file, which must not be reached either: the
 * replica must stay exactly at the last good file, count one {@code snkv_stream_errors_total{side="replica",
 * reason="protocol"}}, reconnect and converge. Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
class StreamProtocolFaultTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());
    /** The replica is at this TXID when the bad frame comes: a snapshot at 4, then the LTX file of 5. */
    private static final int BEFORE = 5;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFrameBreakingTheProtocolIsRejectedWithNothingOfItAppliedAndTheReplicaConverges() throws Exception {
        System.out.println("[StreamProtocolFaultTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        RecordedHistory h = RecordedHistory.record(dir.resolve("primary"), new Random(SEED), 8, BEFORE - 1);
        FaultThenGate primary = new FaultThenGate();
        try (FakePrimary fake = new FakePrimary(primary);
             Node replica = Node.start(new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2",
                     null, false, "host1", fake.url(), Duration.ofMinutes(10), Duration.ofMillis(20), List.of()))) {
            long free = Files.getFileStore(dir).getUsableSpace();
            int n = 0;
            for (Map.Entry<String, Bad> c : cases(free).entrySet()) {
                String name = "p" + n++ + ".db";
                byte[] next = PrimaryFrames.ltx(name, h, BEFORE + 1);
                List<byte[]> frames = new ArrayList<>(PrimaryFrames.catchUp(name, h, h.position(0)).subList(0, 2));
                frames.add(c.getValue().frame(name, h, next));
                frames.add(next);
                frames.add(PrimaryFrames.ready());
                double errors = protocolErrors(replica);
                primary.arm(name, h, FakePrimary.Reply.whole(PrimaryFrames.concat(frames)));
                String what = name + " (" + c.getKey() + ")";
                assertThat(primary.awaitGate(30, TimeUnit.SECONDS)).as(what + ": the replica reconnected").isTrue();
                h.assertAt(replica, dir.resolve("mnt2"), name, BEFORE, what);
                assertThat(protocolErrors(replica) - errors).as(what + ": protocol errors counted").isEqualTo(1.0);
                primary.release();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!replica.position(name).equals(h.last())) {
                    assertThat(System.nanoTime()).as(what + ": converging, at " + replica.position(name)).isLessThan(deadline);
                    Thread.sleep(5);
                }
                h.assertAt(replica, dir.resolve("mnt2"), name, h.lastTxid(), what + ", converged");
            }
            assertThat(replica.metrics().scrape()).contains("snkv_stream_errors_total{reason=\"protocol\",side=\"replica\"} "
                    + n + ".0");
        }
    }

    /** Makes the bad frame for database {@code name}, given the good frame that follows it. */
    private interface Bad {
        byte[] frame(String name, RecordedHistory h, byte[] next) throws Exception;
    }

    private static Map<String, Bad> cases(long freeBytes) {
        Map<String, Bad> m = new LinkedHashMap<>();
        m.put("unknown type 0x0a", (name, h, next) -> retype(next, 0x0a));
        m.put("type 0x00", (name, h, next) -> retype(next, 0x00));
        m.put("type 0xff", (name, h, next) -> retype(next, 0xff));
        m.put("flags 0x01", (name, h, next) -> PrimaryFrames.reheader(next, 0x01, 0x01, 0, next.length - 12));
        m.put("flags 0x80", (name, h, next) -> PrimaryFrames.reheader(next, 0x01, 0x80, 0, next.length - 12));
        m.put("reserved 0x0100", (name, h, next) -> PrimaryFrames.reheader(next, 0x01, 0, 0x0100, next.length - 12));
        m.put("reserved 0x0001", (name, h, next) -> PrimaryFrames.reheader(next, 0x01, 0, 0x0001, next.length - 12));
        m.put("LTX length over 2^40", (name, h, next) -> PrimaryFrames.reheader(next, 0x01, 0, 0, (1L << 40) + 1));
        m.put("LTX length over the free space", (name, h, next) ->
                PrimaryFrames.reheader(next, 0x01, 0, 0, Math.min(1L << 40, freeBytes + (1L << 30))));
        m.put("READY with a payload", (name, h, next) -> PrimaryFrames.raw(0x02, 0, 0, 1, new byte[1]));
        m.put("HEARTBEAT over 16 MiB", (name, h, next) ->
                PrimaryFrames.reheader(PrimaryFrames.heartbeat(name, h.last()), 0x07, 0, 0, (16L << 20) + 1));
        m.put("DROP_DB over 257 bytes", (name, h, next) -> PrimaryFrames.raw(0x04, 0, 0, 258, new byte[258]));
        m.put("name ending in -wal", (name, h, next) -> fileFrame(FrameType.LTX, "x.db-wal", h.file(BEFORE + 1)));
        m.put("name with a slash", (name, h, next) -> fileFrame(FrameType.LTX, "../x.db", h.file(BEFORE + 1)));
        m.put("name starting with a dot", (name, h, next) -> fileFrame(FrameType.LTX, ".x.db", h.file(BEFORE + 1)));
        m.put("empty name", (name, h, next) -> fileFrame(FrameType.LTX, "", h.file(BEFORE + 1)));
        m.put("LTX frame with min TXID 1", (name, h, next) -> fileFrame(FrameType.LTX, name, h.snapshot()));
        m.put("SNAPSHOT frame with min TXID " + (BEFORE + 1), (name, h, next) ->
                fileFrame(FrameType.SNAPSHOT, name, h.file(BEFORE + 1)));
        return m;
    }

    private static byte[] retype(byte[] frame, int type) {
        return PrimaryFrames.reheader(frame, type, 0, 0, frame.length - 12);
    }

    /** A file frame of {@code type} for {@code name} (any bytes) holding {@code ltx}. */
    private static byte[] fileFrame(FrameType type, String name, Path ltx) throws Exception {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] file = Files.readAllBytes(ltx);
        byte[] payload = ByteBuffer.allocate(2 + n.length + file.length).putShort((short) n.length).put(n).put(file).array();
        return PrimaryFrames.raw(type.code(), 0, 0, payload.length, payload);
    }

    private static double protocolErrors(Node replica) {
        return replica.metrics().streamErrors.labelValues("replica", "protocol").get();
    }
}
