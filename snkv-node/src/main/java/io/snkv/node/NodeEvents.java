package io.snkv.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.snkv.LtxPosition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's event feed for {@code GET /events} (REPLICATION.md 6): {@code init} first, then {@code tx} for every
 * commit the node learns of (primary) or applies (replica). Each subscriber has a queue of 1,024 events; one that
 * falls that far behind is disconnected, as LiteFS does. Thread-safe.
 */
final class NodeEvents {
    static final int QUEUE = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** One reader of the feed; {@link #overflowed} once it fell 1,024 events behind. */
    static final class Subscriber {
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        volatile boolean overflowed;
    }

    Subscriber subscribe(boolean isPrimary, String primaryHostname) {
        Subscriber s = new Subscriber();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("isPrimary", isPrimary);
        if (primaryHostname != null && !primaryHostname.isEmpty()) {
            data.put("hostname", primaryHostname);
        }
        s.queue.add(line("init", null, data));
        subscribers.add(s);
        return s;
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    /** One transaction; {@code facts} (its log file) gives page size and commit, when the file is at hand. */
    void tx(String db, LtxPosition p, LtxFileFacts facts, long timestampMs) {
        if (subscribers.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("txID", String.format("%016x", p.txid()));
        data.put("postApplyChecksum", String.format("%016x", p.checksum()));
        if (facts != null) {
            data.put("pageSize", facts.header().pageSize());
            data.put("commit", facts.header().commit());
        }
        data.put("timestamp", Instant.ofEpochMilli(timestampMs).toString());
        String line = line("tx", db, data);
        for (Subscriber s : subscribers) {
            if (!s.queue.offer(line)) {
                s.overflowed = true;
            }
        }
    }

    private static String line(String type, String db, Map<String, Object> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (db != null) {
            m.put("db", db);
        }
        m.put("data", data);
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
