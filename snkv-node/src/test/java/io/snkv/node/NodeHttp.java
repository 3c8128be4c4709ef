package io.snkv.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkv.LtxPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * For HTTP tests: in-process nodes with static leases on loopback (ports chosen by the system), and requests
 * whose status, headers and body can all be asserted, sent with the JDK client or, for what it will not send
 * (a made-up {@code Content-Length}, a malformed request), written raw to a socket.
 */
final class NodeHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private NodeHttp() {
    }

    static NodeSettings primary(Path root) {
        return new NodeSettings(root.resolve("mnt1"), root.resolve("data1"), "127.0.0.1", 0, "host1",
                null, true, null, null, Duration.ofMinutes(10), Duration.ofMillis(100), List.of());
    }

    static NodeSettings replica(Path root, int i, Node primary) {
        return new NodeSettings(root.resolve("mnt" + (i + 1)), root.resolve("data" + (i + 1)), "127.0.0.1", 0,
                "host" + (i + 1), null, false, "host1", primary.httpUrl(), Duration.ofMinutes(10),
                Duration.ofMillis(100), List.of());
    }

    static void awaitPosition(Node replica, String db, LtxPosition want) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!replica.position(db).equals(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(replica + " stuck at " + replica.position(db) + " for " + db + ", want " + want);
            }
            Thread.sleep(5);
        }
    }

    static void awaitReady(Node replica) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!replica.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(replica + " never became ready");
            }
            Thread.sleep(5);
        }
    }

    static String hex(long v) {
        return String.format("%016x", v);
    }

    /** A response: status, headers by case-insensitive name, body. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length > 300 ? body.length + " bytes" : text());
        }
    }

    static Reply send(String method, String url) {
        return send(method, url, null);
    }

    static Reply send(String method, String url, byte[] body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<byte[]> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(r.headers().map());
            return new Reply(r.statusCode(), h, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Writes {@code request} as it is to the node's port and reads one response: status line, headers, then the
     * body by its {@code Content-Length} (or to the end of the stream).
     */
    static Reply raw(String baseUrl, String request) throws IOException {
        URI u = URI.create(baseUrl);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String statusLine = line(in);
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String l; !(l = line(in)).isEmpty(); ) {
                int colon = l.indexOf(':');
                h.computeIfAbsent(l.substring(0, colon).trim(), k -> new java.util.ArrayList<>()).add(l.substring(colon + 1).trim());
            }
            byte[] body;
            if (h.containsKey("Content-Length")) {
                body = in.readNBytes(Integer.parseInt(h.get("Content-Length").get(0)));
            } else {
                body = in.readAllBytes();
            }
            return new Reply(Integer.parseInt(statusLine.split(" ")[1]), h, body);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("the connection ended inside a response head: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
