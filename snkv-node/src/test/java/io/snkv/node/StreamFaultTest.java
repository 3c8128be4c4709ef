package io.snkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.KVIterator;
import io.snkv.KVStore;
import io.snkv.KVStoreConfig;
import io.snkv.LtxPosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica's stream goes through a proxy that, for its first connections, cuts the primary's response
 * after a random number of bytes (inside frames and between them) or flips one byte of it. The replica must
 * never apply a partial or damaged file, and once the proxy behaves it must reach the primary's exact
 * position and content. Seed printed; rerun with {@code -Dsnkv.seed=<seed>}.
 */
class StreamFaultTest {
    private static final long SEED = Long.getLong("snkv.seed", System.nanoTime());

    @TempDir
    Path dir;

    /** A loopback TCP proxy that damages the response of its first {@code faulty} connections. */
    private static final class FaultyProxy implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger damaged = new AtomicInteger();
        private final int targetPort;
        private final int faulty;
        private final Random rnd;

        FaultyProxy(int targetPort, int faulty, Random rnd) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.targetPort = targetPort;
            this.faulty = faulty;
            this.rnd = rnd;
            Thread t = new Thread(this::accept, "faulty-proxy");
            t.setDaemon(true);
            t.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    int n = connections.incrementAndGet();
                    boolean damage = n <= faulty;
                    long cutAt;
                    long flipAt;
                    synchronized (rnd) {
                        boolean cut = rnd.nextBoolean();
                        long where = 150 + rnd.nextInt(60_000);
                        cutAt = damage && cut ? where : Long.MAX_VALUE;
                        flipAt = damage && !cut ? where : Long.MAX_VALUE;
                    }
                    pipe(client.getInputStream(), upstream.getOutputStream(), Long.MAX_VALUE, Long.MAX_VALUE, client, upstream);
                    pipe(upstream.getInputStream(), client.getOutputStream(), cutAt, flipAt, client, upstream);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pipe(InputStream in, OutputStream out, long cutAt, long flipAt, Socket a, Socket b) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                long pos = 0;
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (pos + n > cutAt) {
                            out.write(buf, 0, (int) (cutAt - pos));
                            out.flush();
                            damaged.incrementAndGet();
                            break;
                        }
                        if (flipAt >= pos && flipAt < pos + n) {
                            buf[(int) (flipAt - pos)] ^= 0x5A;
                            damaged.incrementAndGet();
                        }
                        out.write(buf, 0, n);
                        out.flush();
                        pos += n;
                    }
                } catch (IOException ignored) {
                    // the other side went away
                } finally {
                    try {
                        a.close();
                        b.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }, "faulty-proxy-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void damagedStreamsNeverApplyAndTheReplicaConverges() throws Exception {
        System.out.println("[StreamFaultTest] seed " + SEED + " (-Dsnkv.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        Node p = Node.start(new NodeSettings(dir.resolve("mnt1"), dir.resolve("data1"), "127.0.0.1", 0, "host1", null, true,
                null, null, Duration.ofMinutes(10), Duration.ofMillis(50), List.of()));
        int port = Integer.parseInt(p.httpUrl().substring(p.httpUrl().lastIndexOf(':') + 1));
        LtxPosition last;
        try (KVStore s = KVStore.open(dir.resolve("mnt1/f.db"))) {
            for (int t = 0; t < 40; t++) {
                s.begin(true);
                for (int i = 0; i < 20; i++) {
                    byte[] v = new byte[rnd.nextInt(3000)];
                    rnd.nextBytes(v);
                    s.put(("k" + rnd.nextInt(500)).getBytes(), v);
                }
                s.commit();
            }
            last = s.capturePosition().orElseThrow();
        }
        try (FaultyProxy proxy = new FaultyProxy(port, 6, rnd)) {
            Node r = Node.start(new NodeSettings(dir.resolve("mnt2"), dir.resolve("data2"), "127.0.0.1", 0, "host2", null,
                    false, "host1", "http://127.0.0.1:" + proxy.server.getLocalPort(), Duration.ofMinutes(10),
                    Duration.ofMillis(50), List.of()));
            try {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!r.position("f.db").equals(last)) {
                    assertThat(System.nanoTime()).as("replica stuck at " + r.position("f.db") + ", primary at " + last
                            + " after " + proxy.connections.get() + " connections").isLessThan(deadline);
                    Thread.sleep(20);
                }
                assertThat(proxy.damaged.get()).as("faults injected").isGreaterThan(0);
                assertThat(proxy.connections.get()).as("the replica reconnected after each fault").isGreaterThan(1);
            } finally {
                r.close();
            }
        } finally {
            p.close();
        }
        assertThat(contents(dir.resolve("mnt2/f.db"))).isEqualTo(contents(dir.resolve("mnt1/f.db")));
    }

    private static TreeMap<String, String> contents(Path db) {
        TreeMap<String, String> m = new TreeMap<>();
        try (KVStore s = KVStore.open(db, KVStoreConfig.builder().readOnly(true).build()); KVIterator it = s.iterator()) {
            for (boolean ok = it.first(); ok; ok = it.next()) {
                m.put(new String(it.key()), Arrays.toString(it.value()));
            }
        }
        return m;
    }
}
