package io.snkv.node;

/**
 * Whether the node process serving a directory runs, as the writability check before each commit asks. Asking
 * the system costs a {@code /proc} read (about a tenth of a small commit's time), so the answer for another
 * process is reused for {@value #REUSE_MS} ms; the node's own process needs no asking. The lease fence in the
 * descriptor, not this, is what bounds writes after a node stops. Thread-safe.
 */
final class NodeLiveness {
    static final long REUSE_MS = 100;
    private static final long SELF = ProcessHandle.current().pid();

    private record Answer(long pid, long atMillis, boolean alive) {}

    private static volatile Answer last = new Answer(0, Long.MIN_VALUE, false);

    private NodeLiveness() {
    }

    static boolean isAlive(long pid, long nowMillis) {
        if (pid == SELF) {
            return true;
        }
        Answer a = last;
        if (a.pid() == pid && nowMillis - a.atMillis() < REUSE_MS && nowMillis >= a.atMillis()) {
            return a.alive();
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        last = new Answer(pid, nowMillis, alive);
        return alive;
    }
}
