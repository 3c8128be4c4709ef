package io.snkv.node;

import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /handoff?nodeID=} and {@code POST /promote} (REPLICATION.md 6, 8.2): the checks, in the order
 * litefs {@code Store.Handoff} and {@code handlePostPromote} make them, and their answers. The only lease built
 * so far is the static one, which cannot be handed off: so every request that passes the checks ends in 409 for
 * that reason. The handoff itself (8.2: write fence, HANDOFF frame, the target taking the lease by its ID) and
 * the promote call to the primary's {@code /handoff} come with the Consul and etcd leases, the ones that can be
 * handed over. The decisions are functions of the node's state, so each answer can be tested without a lease
 * that produces that state. Thread-safe.
 */
final class LeaseRequests {
    private final Node node;

    LeaseRequests(Node node) {
        this.node = node;
    }

    /** An HTTP answer: status and JSON body. */
    record Answer(int status, Map<String, Object> body) {
        static Answer error(int status, String reason) {
            return new Answer(status, Map.of("error", reason));
        }
    }

    void handoff(Request request, Response response, Callback callback) {
        String id = Request.extractQueryParameters(request).getValue("nodeID");
        send(response, callback, handoff(id, node.isPrimary(), node::hasStreamFrom, node.leaseType()));
    }

    void promote(Response response, Callback callback) {
        send(response, callback, promote(node.isCandidate(), node.isPrimary(), node.primaryHostnameOrEmpty(),
                node.leaseType()));
    }

    /**
     * @param nodeId    the {@code nodeID} parameter as sent (null when missing)
     * @param connected whether a replica with that ID (16 upper-case hex digits) has a stream open to this node
     */
    static Answer handoff(String nodeId, boolean primary, Predicate<String> connected, String leaseType) {
        if (nodeId == null || !nodeId.matches("[0-9A-Fa-f]{16}") || Long.parseUnsignedLong(nodeId, 16) == 0) {
            return Answer.error(HttpStatus.BAD_REQUEST_400, "nodeID must be a node's ID, 16 hex digits, not zero; got "
                    + (nodeId == null ? "none" : quote(nodeId)));
        }
        if (!primary) {
            return Answer.error(HttpStatus.CONFLICT_409, "not primary");
        }
        String id = nodeId.toUpperCase(java.util.Locale.ROOT);
        if (!connected.test(id)) {
            return Answer.error(HttpStatus.CONFLICT_409, "no stream from node " + id + " is connected");
        }
        return Answer.error(HttpStatus.CONFLICT_409, "the " + leaseType + " lease cannot be handed off");
    }

    /** @param primaryHostname the primary this node knows of, "" when none */
    static Answer promote(boolean candidate, boolean primary, String primaryHostname, String leaseType) {
        if (!candidate) {
            return Answer.error(HttpStatus.CONFLICT_409, "not a candidate");
        }
        if (primary) {
            return new Answer(HttpStatus.OK_200, Map.of("primary", true));
        }
        if (primaryHostname.isEmpty()) {
            return Answer.error(HttpStatus.SERVICE_UNAVAILABLE_503, "no primary is known");
        }
        // Next: ask the primary to hand off to this node; only a lease that can be handed off gets here and on.
        return Answer.error(HttpStatus.CONFLICT_409, "the " + leaseType + " lease cannot be handed off");
    }

    private static void send(Response response, Callback callback, Answer a) {
        NodeHttpApi.json(response, callback, a.status(), a.body());
    }

    private static String quote(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
