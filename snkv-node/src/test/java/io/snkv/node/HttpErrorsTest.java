package io.snkv.node;

import static io.snkv.node.NodeHttp.primary;
import static io.snkv.node.NodeHttp.raw;
import static io.snkv.node.NodeHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.snkv.node.NodeHttp.Reply;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error answers of REPLICATION.md 6, at HTTP level: 405 with {@code Allow} on every endpoint, 404, 400 for a
 * bad name wherever one is taken, 413 over 16 MiB (but not on {@code /import}), and Jetty's own errors (a
 * malformed request, headers too large) as the node's JSON, never HTML or a stack trace; every answer carries
 * the node's ID. Also the headers deadline, on a bare Jetty server with a short one.
 */
class HttpErrorsTest {
    @TempDir
    Path dir;

    private Node node;

    @BeforeEach
    void start() throws Exception {
        node = Node.start(primary(dir));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void assertJsonError(Reply r, int status, String reasonPart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).isEqualTo("application/json");
        assertThat(r.header("Snkv-Node-Id")).as(r.toString()).isEqualTo(node.nodeIdHex());
        assertThat(r.json().size()).as(r.text()).isEqualTo(1);
        assertThat(r.json().get("error").asText()).contains(reasonPart);
        assertThat(r.text()).doesNotContain("<").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aWrongMethodIs405WithAllowOnEveryEndpoint() {
        String[][] endpoints = {
                {"/stream", "POST"}, {"/info", "GET"}, {"/debug/vars", "GET"}, {"/metrics", "GET"}, {"/events", "GET"},
                {"/export?name=a.db", "GET"}, {"/import?name=a.db", "POST"}, {"/handoff?nodeID=0123456789ABCDEF", "POST"},
                {"/promote", "POST"}, {"/local/notify?name=a.db", "POST"}, {"/halt", "POST, DELETE"}, {"/tx", "POST"}};
        for (String[] e : endpoints) {
            List<String> wrong = e[1].contains("GET") ? List.of("POST", "PUT", "DELETE") : List.of("GET", "PUT", "PATCH");
            for (String m : wrong) {
                if (e[1].contains(m)) {
                    continue;
                }
                Reply r = send(m, node.httpUrl() + e[0]);
                assertJsonError(r, 405, m + " is not allowed here; use " + e[1]);
                assertThat(r.header("Allow")).as(m + " " + e[0]).isEqualTo(e[1]);
            }
        }
    }

    @Test
    void anUnknownPathIs404() {
        for (String path : new String[] {"/", "/nope", "/stream/extra", "/INFO", "/local"}) {
            assertJsonError(send("GET", node.httpUrl() + path), 404, "no such endpoint: " + path);
        }
        assertJsonError(send("POST", node.httpUrl() + "/export/a.db"), 404, "no such endpoint: /export/a.db");
    }

    @Test
    void aBadNameIs400OnEveryEndpointThatTakesOne() throws Exception {
        String[][] endpoints = {{"GET", "/export"}, {"POST", "/import"}, {"POST", "/local/notify"}};
        String[][] names = {
                {"", "missing name parameter"},
                {"?name=", "database name is empty"},
                {"?name=..%2Fetc%2Fpasswd", "has character '/'"},
                {"?name=.hidden", "starts with '.'"},
                {"?name=a.db-wal", "ends in -wal"},
                {"?name=a.db.tmp", "ends in .tmp"},
                {"?name=caf%C3%A9.db", "has character U+00E9"},
                {"?name=" + "x".repeat(256), "is 256 bytes, more than 255"}};
        for (String[] e : endpoints) {
            for (String[] n : names) {
                Reply r = send(e[0], node.httpUrl() + e[1] + n[0], e[0].equals("POST") ? new byte[0] : null);
                assertJsonError(r, 400, n[1]);
                assertThat(r.json().get("error").asText()).as(e[1] + n[0]).contains("name");
            }
        }
        assertThat(node.debugVars()).doesNotContain("hidden").doesNotContain("passwd");
    }

    @Test
    void aBodyOver16MiBIs413ExceptOnImport() throws Exception {
        for (String target : new String[] {"POST /local/notify?name=a.db", "POST /stream", "GET /info", "POST /handoff",
                "POST /nope"}) {
            Reply r = raw(node.httpUrl(), target + " HTTP/1.1\r\nHost: t\r\nContent-Length: 16777217\r\n"
                    + "Connection: close\r\n\r\n");
            assertJsonError(r, 413, "the request body is 16777217 bytes; at most 16777216 (16 MiB) are taken here");
        }
        Reply atLimit = raw(node.httpUrl(), "POST /local/notify?name=a.db HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello");
        assertThat(atLimit.status()).isEqualTo(204);
        // /import reads a 17 MiB body, and judges it as an image.
        byte[] big = new byte[17 << 20];
        Reply imported = send("POST", node.httpUrl() + "/import?name=a.db", big);
        assertJsonError(imported, 400, "does not start with \"SQLite format 3\\0\"");
    }

    @Test
    void jettysOwnErrorsAreJsonToo() throws Exception {
        // The reasons are Jetty's words for what its parser found.
        assertJsonError(raw(node.httpUrl(), "GARBAGE\r\n\r\n"), 400, "No URI");
        assertJsonError(raw(node.httpUrl(), "GET /info HTTP/1.1\r\nHost: t\r\nBad Header Line\r\n\r\n"), 400,
                "Illegal character");
        assertJsonError(raw(node.httpUrl(), "GET /info HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(20_000)
                + "\r\n\r\n"), 431, "Request Header Fields Too Large");
        assertJsonError(raw(node.httpUrl(), "GET /info HTTP/7.0\r\nHost: t\r\n\r\n"), 505, "Unknown Version");
        assertJsonError(raw(node.httpUrl(), "GET /info HTTP/1.1\r\nHost: t\r\nContent-Length: twelve\r\n\r\n"), 400,
                "Invalid Content-Length");
    }

    @Test
    void aConnectionWithoutWholeHeadersIsClosedAtTheDeadlineAndOneWithThemIsNot() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        HeaderDeadline deadline = new HeaderDeadline(connector.getScheduler(), 300);
        connector.addEventListener(deadline);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                deadline.headersArrived(request.getConnectionMetaData().getConnection());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 2);
                response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        try (Socket slow = new Socket("127.0.0.1", connector.getLocalPort())) {
            slow.setSoTimeout(10_000);
            slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(slow.getInputStream())).as("what the slow client got before the close").isEmpty();
        }
        try (Socket fine = new Socket("127.0.0.1", connector.getLocalPort())) {
            fine.setSoTimeout(10_000);
            OutputStream out = fine.getOutputStream();
            InputStream in = fine.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("ok");
            Thread.sleep(600); // past the deadline: it was for the first request only
            out.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("ok");
        } finally {
            server.stop();
        }
    }

    /** Everything until the server closes; fails if it does not within the socket timeout. */
    private static String readToEnd(InputStream in) throws Exception {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        }
    }

    /** One response whose body is the 2 bytes "ok". */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("closed after " + b);
            }
            b.append((char) c);
        }
        b.append(new String(in.readNBytes(2), StandardCharsets.ISO_8859_1));
        return b.toString();
    }
}
