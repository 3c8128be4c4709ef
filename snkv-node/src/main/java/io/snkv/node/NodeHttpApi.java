package io.snkv.node;

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

    private void localNotify(Request request, Response response, Callback callback) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(remote instanceof InetSocketAddress a) || a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
            error(response, callback, HttpStatus.FORBIDDEN_403, "/local/notify only accepts loopback requests");
            return;
        }
        Fields q = Request.extractQueryParameters(request);
        String name = q.getValue("name");
        if (name == null || !DatabaseNames.isValid(name)) {
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
