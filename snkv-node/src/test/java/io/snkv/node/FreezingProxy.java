package io.snkv.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test support: a loopback TCP proxy in front of a primary that can freeze the connections it carries: a frozen
 * connection stays open but forwards no byte to the replica (the primary's bytes wait in the proxy), as a primary
 * or network that hangs would. It records when each connection was accepted and when each last forwarded a byte.
 */
final class FreezingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    /** One proxied connection: the replica's socket, the primary's, and the downstream timeline. */
    final class Connection {
        final Socket replica;
        final Socket primary;
        final long acceptedNanos = System.nanoTime();
        volatile long lastForwardNanos = acceptedNanos;
        private volatile boolean frozen;

        Connection(Socket replica, Socket primary) {
            this.replica = replica;
            this.primary = primary;
        }

        private void closeBoth() {
            try {
                replica.close();
                primary.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    FreezingProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        Thread t = new Thread(this::accept, "freezing-proxy");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted so far, oldest first. */
    List<Connection> connections() {
        return List.copyOf(connections);
    }

    /**
     * Freezes every open connection for {@code millis}, then closes it (unless the replica closed it first).
     *
     * @return the connections frozen
     */
    List<Connection> freeze(long millis) {
        List<Connection> frozen = connections();
        for (Connection c : frozen) {
            c.frozen = true;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                // close them now
            }
            frozen.forEach(Connection::closeBoth);
        }, "freezing-proxy-thaw");
        t.setDaemon(true);
        t.start();
        return frozen;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket replica = server.accept();
                Socket primary = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection c = new Connection(replica, primary);
                connections.add(c);
                pipe(c, replica.getInputStream(), primary.getOutputStream(), false);
                pipe(c, primary.getInputStream(), replica.getOutputStream(), true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(Connection c, InputStream in, OutputStream out, boolean downstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    while (downstream && c.frozen && !c.replica.isClosed()) {
                        Thread.sleep(20); // hold the bytes: the replica hears nothing
                    }
                    if (downstream && c.frozen) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    if (downstream) {
                        c.lastForwardNanos = System.nanoTime();
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // one side went away
            }
            if (!c.frozen) {
                c.closeBoth(); // a frozen connection stays open until it thaws or the replica closes it
            }
        }, "freezing-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.forEach(Connection::closeBoth);
    }
}
