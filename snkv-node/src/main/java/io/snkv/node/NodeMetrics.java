package io.snkv.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.snkv.LtxPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The node's Prometheus metrics (REPLICATION.md 6, {@code /metrics}, text format 0.0.4), in a registry of its
 * own so several nodes in one JVM do not mix. Gauges are read when scraped; counters are bumped where things
 * happen. Thread-safe.
 */
final class NodeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter transactions;
    final Counter ltxBytes;
    final Counter framesSent;
    final Counter framesReceived;
    final Counter snapshotsSent;
    final Counter snapshotsReceived;
    final Counter streamErrors;
    final Counter reconnects;
    final Counter leaseRenewals;

    NodeMetrics(Node node) {
        GaugeWithCallback.builder().name("snkv_node_is_primary").help("1 while this node holds the lease")
                .callback(cb -> cb.call(node.isPrimary() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("snkv_node_ready").help("1 once primary, or once a replica got READY")
                .callback(cb -> cb.call(node.isReady() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("snkv_db_count").help("databases this node knows")
                .callback(cb -> cb.call(node.databases().size())).register(registry);
        GaugeWithCallback.builder().name("snkv_replicas_connected").help("replica streams connected to this primary")
                .callback(cb -> cb.call(node.replicaCount())).register(registry);
        GaugeWithCallback.builder().name("snkv_db_txid").help("TXID of the last commit").labelNames("db")
                .callback(cb -> node.databases().forEach((name, d) -> cb.call(d.position().txid(), name))).register(registry);
        GaugeWithCallback.builder().name("snkv_ltx_files").help("LTX files in the log").labelNames("db")
                .callback(cb -> node.databases().forEach((name, d) -> cb.call(d.logFilesAndBytes()[0], name))).register(registry);
        GaugeWithCallback.builder().name("snkv_ltx_disk_bytes").help("bytes of LTX files in the log").labelNames("db")
                .callback(cb -> node.databases().forEach((name, d) -> cb.call(d.logFilesAndBytes()[1], name))).register(registry);
        GaugeWithCallback.builder().name("snkv_lag_seconds").help("replica: seconds behind the primary (+Inf until ready)")
                .callback(cb -> {
                    Double lag = node.lagSeconds();
                    cb.call(lag == null ? Double.POSITIVE_INFINITY : lag);
                }).register(registry);
        GaugeWithCallback.builder().name("snkv_db_invalid").help("1 while a database fails verification against its position")
                .labelNames("db")
                .callback(cb -> node.databases().forEach((name, d) -> cb.call(d.isInvalid() ? 1 : 0, name))).register(registry);
        GaugeWithCallback.builder().name("snkv_db_lag_seconds").help("replica: apply time minus the last applied file's timestamp")
                .labelNames("db")
                .callback(cb -> node.databases().forEach((name, d) -> cb.call(d.applyLagSeconds(), name))).register(registry);
        GaugeWithCallback.builder().name("snkv_lease_state").help("1 for the lease's current state").labelNames("type", "state")
                .callback(cb -> {
                    cb.call(node.isPrimary() ? 1 : 0, "static", "primary");
                    cb.call(node.isPrimary() || node.isClosed() ? 0 : 1, "static", "replica");
                    cb.call(node.isClosed() ? 1 : 0, "static", "none");
                }).register(registry);
        GaugeWithCallback.builder().name("snkv_replica_lag_transactions").help("primary: TXIDs not yet sent, max over replicas")
                .labelNames("db")
                .callback(cb -> node.replicaLagTransactions().forEach((name, lag) -> cb.call(lag, name))).register(registry);
        leaseRenewals = Counter.builder().name("snkv_lease_renewals_total").help("lease renewals (a static lease has none)")
                .labelNames("result").register(registry);
        transactions = Counter.builder().name("snkv_transactions_total").help("commits seen or applied")
                .labelNames("db", "source").register(registry);
        ltxBytes = Counter.builder().name("snkv_ltx_bytes_total").help("LTX bytes").labelNames("db", "direction")
                .register(registry);
        framesSent = Counter.builder().name("snkv_stream_frames_sent_total").help("stream frames sent").labelNames("type")
                .register(registry);
        framesReceived = Counter.builder().name("snkv_stream_frames_received_total").help("stream frames received")
                .labelNames("type").register(registry);
        snapshotsSent = Counter.builder().name("snkv_snapshots_sent_total").help("SNAPSHOT frames sent").labelNames("db")
                .register(registry);
        snapshotsReceived = Counter.builder().name("snkv_snapshots_received_total").help("SNAPSHOT frames applied")
                .labelNames("db").register(registry);
        streamErrors = Counter.builder().name("snkv_stream_errors_total").help("streams ended by a fault")
                .labelNames("side", "reason").register(registry);
        reconnects = Counter.builder().name("snkv_stream_reconnects_total").help("replica reconnections").register(registry);
    }

    /** A commit the primary announced, or a file a replica applied. */
    void transaction(String db, String source, LtxPosition p) {
        transactions.labelValues(db, source).inc();
    }

    String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
