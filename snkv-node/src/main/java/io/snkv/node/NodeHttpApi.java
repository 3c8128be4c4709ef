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
import org.eclipse.jetty.util.Fields;

/**
 * The node's HTTP endpoints (REPLICATION.md 6) on Jetty's core handler API: routing, the spec's JSON error
 * bodies ({@code {"error":"..."}}, never a stack trace), and the small endpoints; the stream itself is
 * {@link StreamServer}'s. Thread-safe.
 */
final class NodeHttpApi extends Handler.Abstract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Node node;
    private final StreamServer streams;

    NodeHttpApi(Node node, StreamServer streams) {
        this.node = node;
        this.streams = streams;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put("Snkv-Node-Id", node.nodeIdHex());
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
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
                case "/halt", "/tx" -> error(response, callback, HttpStatus.NOT_IMPLEMENTED_501,
                        path.substring(1) + " is not implemented yet (write forwarding is a later phase)");
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
        Fields q = Request.extractQueryParameters(request);
        String name = q.getValue("name");
        if (name == null || !DatabaseName.isValid(name)) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, "bad or missing name parameter: " + name);
            return;
        }
        node.changed(name);
        response.setStatus(HttpStatus.NO_CONTENT_204);
        callback.succeeded();
    }

    private static boolean allow(String method, String allowed, Request request, Response response, Callback callback) {
        if (method.equals(allowed)) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed here; use " + allowed);
        return false;
    }

    static void error(Response response, Callback callback, int status, String reason) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("error", reason)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = "{\"error\":\"error\"}\n";
        }
        send(response, callback, status, "application/json", body);
    }

    static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, java.nio.ByteBuffer.wrap(b), callback);
    }
}
