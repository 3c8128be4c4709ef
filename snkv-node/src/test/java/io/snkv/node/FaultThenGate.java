package io.snkv.node;

import io.snkv.LtxPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test support: what a {@link FakePrimary} answers when a test injects one fault at a time. Honest by default:
 * each connection gets, for every database it serves, the catch-up from the replica's reported position, then
 * READY and END. {@link #arm} adds a database and a faulty reply: the next connection gets that reply instead;
 * the connection after it (the replica's reconnection, so it has finished with the faulty one) waits at a gate
 * until the test has looked at the replica and calls {@link #release}, and is then answered honestly.
 */
final class FaultThenGate implements FakePrimary.Responder {
    private final TreeMap<String, RecordedHistory> databases = new TreeMap<>();
    private FakePrimary.Reply fault;
    private CountDownLatch atGate = new CountDownLatch(0);
    private CountDownLatch release = new CountDownLatch(0);
    private boolean gateOpen = true;

    /** Serves {@code name} from {@code history} from the next connection on, first with {@code faulty}. */
    synchronized void arm(String name, RecordedHistory history, FakePrimary.Reply faulty) {
        databases.put(name, history);
        fault = faulty;
        gateOpen = false;
        atGate = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    /** Waits until the replica reconnects after the faulty reply; false on timeout. */
    boolean awaitGate(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch l;
        synchronized (this) {
            l = atGate;
        }
        return l.await(timeout, unit);
    }

    /** Lets the reconnection held at the gate go on. */
    void release() {
        CountDownLatch l;
        synchronized (this) {
            l = release;
        }
        l.countDown();
    }

    @Override
    public FakePrimary.Reply reply(int connection, SortedMap<String, LtxPosition> positions) throws InterruptedException {
        CountDownLatch wait = null;
        synchronized (this) {
            if (fault != null) {
                FakePrimary.Reply r = fault;
                fault = null;
                return r;
            }
            if (!gateOpen) {
                gateOpen = true;
                atGate.countDown();
                wait = release;
            }
        }
        if (wait != null && !wait.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the gate");
        }
        return FakePrimary.Reply.whole(honest(positions));
    }

    private synchronized byte[] honest(SortedMap<String, LtxPosition> positions) {
        List<byte[]> frames = new ArrayList<>();
        databases.forEach((name, h) -> frames.addAll(PrimaryFrames.catchUp(name, h,
                positions.getOrDefault(name, LtxPosition.ZERO))));
        frames.add(PrimaryFrames.ready());
        frames.add(PrimaryFrames.end());
        return PrimaryFrames.concat(frames);
    }
}
