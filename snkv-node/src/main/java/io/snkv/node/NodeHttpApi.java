package io.snkv.node;

import io.snkv.node.stream.DatabaseName;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The node's HTTP endpoints (REPLICATION.md 6) on Jetty's core handler API: routing, the 405/404/413 answers,
 * the spec's JSON error bodies ({@code {"error":"..."}}, never a stack trace), and the small endpoints. The
 * stream is {@link StreamServer}'s, database images {@link DatabaseTransfer}'s, {@code /handoff} and
 * {@code /promote} {@link LeaseRequests}'; Jetty's own errors go through {@link JsonErrorHandler}. Thread-safe.
 */
final class NodeHttpApi extends Handler.Abstract {
    /** The largest request body any endpoint but {@code /import} takes (REPLICATION.md 6). */
    static final long MAX_BODY = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Node node;
    private final StreamServer streams;
    private final HeaderDeadline headerDeadline;
    private final DatabaseTransfer transfer;
    private final LeaseRequests lease;

    NodeHttpApi(Node node, StreamServer streams, HeaderDeadline headerDeadline) {
        this.node = node;
        this.streams = streams;
        this.headerDeadline = headerDeadline;
        this.transfer = new DatabaseTransfer(node);
        this.lease = new LeaseRequests(node);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        headerDeadline.headersArrived(request.getConnectionMetaData().getConnection());
        response.getHeaders().put("Snkv-Node-Id", node.nodeIdHex());
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        long length = request.getLength();
        if (length > MAX_BODY && !path.equals("/import")) {
            // Checked before anything is read; a chunked body has no length, but only /stream reads one, and it
            // stops at its own, smaller limit.
            error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "the request body is " + length
                    + " bytes; at most " + MAX_BODY + " (16 MiB) are taken here");
            return true;
        }
        try {
            switch (path) {
                case "/stream" -> {
                    if (allow(method, "POST", request, response, callback)) {
                        streams.handle(request, response, callback);
                    }
                }
                case "/debug/vars" -> {
                    if (allow(method, "GET", request, response, callback)) {
                        send(response, callback, 200, "application/json", node.debugVars());
                    }
                }
                case "/info" -> {
                    if (allow(method, "GET", request, response, callback)) {
                        send(response, callback, 200, "application/json", node.info());
                    }
                }
                case "/metrics" -> {
                    if (allow(method, "GET", request, response, callback)) {
                        send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", node.metrics().scrape());
                    }
                }
                case "/events" -> {
                    if (allow(method, "GET", request, response, callback)) {
                        events(request, response, callback);
                    }
                }
                case "/local/notify" -> {
                    if (allow(method, "POST", request, response, callback)) {
                        localNotify(request, response, callback);
                    }
                }
                case "/export" -> {
                    if (allow(method, "GET", request, response, callback)) {
                        transfer.export(request, response, callback);
                    }
                }
                case "/import" -> {
                    if (allow(method, "POST", request, response, callback)) {
                        transfer.importImage(request, response, callback);
                    }
                }
                case "/handoff" -> {
                    if (allow(method, "POST", request, response, callback)) {
                        lease.handoff(request, response, callback);
                    }
                }
                case "/promote" -> {
                    if (allow(method, "POST", request, response, callback)) {
                        lease.promote(response, callback);
                    }
                }
                case "/halt", "/tx" -> {
                    if (path.equals("/halt") ? allow(method, "POST, DELETE", request, response, callback)
                            : allow(method, "POST", request, response, callback)) {
                        error(response, callback, HttpStatus.NOT_IMPLEMENTED_501,
                                path.substring(1) + " is not implemented yet (write forwarding is a later phase)");
                    }
                }
                default -> error(response, callback, HttpStatus.NOT_FOUND_404, "no such endpoint: " + path);
            }
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "internal error: " + e.getClass().getSimpleName());
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    /** NDJSON, or server-sent events when the client asks for them; until the client or the node goes. */
    private void events(Request request, Response response, Callback callback) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean sse = accept != null && accept.contains("text/event-stream");
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, sse ? "text/event-stream" : "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        NodeEvents.Subscriber sub = node.events().subscribe(node.isPrimary(), node.primaryHostnameOrEmpty());
        try (java.io.OutputStream out = org.eclipse.jetty.io.Content.Sink.asOutputStream(response)) {
            while (!node.isClosed() && !sub.overflowed) {
                String line = sub.queue.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (line == null) {
                    if (sse) {
                        out.write(":\n\n".getBytes(StandardCharsets.UTF_8)); // a comment keeps proxies from timing out
                        out.flush();
                    }
                    continue;
                }
                String text;
                if (sse) {
                    int at = line.indexOf("\"type\":\"") + 8;
                    String type = line.substring(at, line.indexOf('"', at));
                    text = "event: " + type + "\ndata: " + line + "\n\n";
                } else {
                    text = line + "\n";
                }
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            callback.succeeded();
        } catch (java.io.IOException | InterruptedException e) {
            callback.failed(e);
        } finally {
            node.events().unsubscribe(sub);
        }
    }

    private void localNotify(Request request, Response response, Callback callback) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(remote instanceof InetSocketAddress a) || a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
            error(response, callback, HttpStatus.FORBIDDEN_403, "/local/notify only accepts loopback requests");
            return;
        }
        String name = nameParameter(request, response, callback);
        if (name == null) {
            return;
        }
        node.changed(name);
        response.setStatus(HttpStatus.NO_CONTENT_204);
        callback.succeeded();
    }

    /**
     * The {@code name} query parameter if it is a valid database name (REPLICATION.md 1); else null, after
     * answering 400 naming the rule it breaks.
     */
    static String nameParameter(Request request, Response response, Callback callback) {
        String name = Request.extractQueryParameters(request).getValue("name");
        if (name == null) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, "missing name parameter");
            return null;
        }
        if (!DatabaseName.isValid(name)) {
            String problem;
            try {
                DatabaseName.validate(name);
                problem = "invalid";
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            error(response, callback, HttpStatus.BAD_REQUEST_400, "bad name parameter: " + problem);
            return null;
        }
        return name;
    }

    /** @param allowed the method, or methods as the {@code Allow} header lists them ({@code "POST, DELETE"}) */
    private static boolean allow(String method, String allowed, Request request, Response response, Callback callback) {
        for (String m : allowed.split(", ")) {
            if (method.equals(m)) {
                return true;
            }
        }
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed here; use " + allowed);
        return false;
    }

    static void error(Response response, Callback callback, int status, String reason) {
        json(response, callback, status, Map.of("error", reason));
    }

    /** A small JSON answer on one line. */
    static void json(Response response, Callback callback, int status, Map<String, ?> body) {
        String text;
        try {
            text = JSON.writeValueAsString(body) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            text = "{\"error\":\"error\"}\n";
        }
        send(response, callback, status, "application/json", text);
    }

    static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, java.nio.ByteBuffer.wrap(b), callback);
    }
}
