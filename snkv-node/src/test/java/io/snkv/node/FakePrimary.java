package io.snkv.node;

import io.snkv.LtxPosition;
import io.snkv.node.stream.PositionMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support: a primary that is only an HTTP/1.1 server on loopback answering {@code POST /stream} with whatever
 * bytes its {@link Responder} chooses for the replica's position map, as a chunked 200 response, one request per
 * connection. A reply may be cut: after {@code cutAt} bytes the response ends either cleanly (the terminating
 * chunk, so the replica reads EOF there) or abruptly (the socket closes inside a chunk, as a lost connection).
 */
final class FakePrimary implements AutoCloseable {
    /** Chooses the response body for one request; may block (a test holding the replica at a gate). */
    interface Responder {
        Reply reply(int connection, SortedMap<String, LtxPosition> positions) throws InterruptedException;
    }

    /** A response body, sent up to {@code cutAt} bytes; the rest is never sent. */
    record Reply(byte[] body, long cutAt, boolean abrupt) {
        static Reply whole(byte[] body) {
            return new Reply(body, body.length, false);
        }
    }

    private final ServerSocket server;
    private final Responder responder;
    private final AtomicInteger connections = new AtomicInteger();

    FakePrimary(Responder responder) throws IOException {
        this.responder = responder;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "fake-primary");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests answered or being answered so far. */
    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int n = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s, n), "fake-primary-" + n);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            InputStream in = s.getInputStream();
            SortedMap<String, LtxPosition> positions = PositionMap.read(new ByteArrayInputStream(requestBody(in)),
                    PositionMap.MAX_BYTES);
            Reply r = responder.reply(connection, positions);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.snkv.stream\r\nCache-Control: no-store\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int sent = (int) Math.min(r.cutAt(), r.body().length);
            if (r.abrupt()) {
                // One chunk announcing the whole body, of which only the bytes before the cut arrive.
                out.write(String.format(Locale.ROOT, "%x\r\n", r.body().length).getBytes(StandardCharsets.US_ASCII));
                out.write(r.body(), 0, sent);
                out.flush();
                return; // closing the socket now loses the rest
            }
            if (sent > 0) {
                out.write(String.format(Locale.ROOT, "%x\r\n", sent).getBytes(StandardCharsets.US_ASCII));
                out.write(r.body(), 0, sent);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the replica went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the request line and headers, then exactly Content-Length bytes of body. */
    private static byte[] requestBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended inside its headers");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("request body ended after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
