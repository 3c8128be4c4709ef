package io.snkv.node;

import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a malformed request line, headers too large, a request Jetty rejects before any handler
 * sees it) in the node's error format (REPLICATION.md 6): {@code {"error":"<reason>"}}, {@code application/json},
 * the node's ID header, never HTML or a stack trace. Thread-safe.
 */
final class JsonErrorHandler implements Request.Handler {
    /** Reasons longer than this are cut: they come from Jetty's messages, not from us. */
    private static final int MAX_REASON = 200;
    private final Supplier<String> nodeId;

    JsonErrorHandler(Supplier<String> nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s) {
            status = s;
        }
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        String reason = HttpStatus.getMessage(status);
        if (request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m && !m.isBlank()) {
            reason = m;
        }
        reason = reason.replaceAll("\\s+", " ").strip();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "...";
        }
        response.getHeaders().put("Snkv-Node-Id", nodeId.get());
        NodeHttpApi.error(response, callback, status, reason);
        return true;
    }
}
