package dev.kadshare.node.metrics;

import com.google.common.base.Suppliers;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeStatus;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A node's figures as Prometheus metrics, for {@code GET /metrics}: read from what the node already counts (its
 * status, the DHT's counters, the connection drops) when scraped, never counted a second time; only the lookups'
 * durations are observed as they happen (the DHT tells of each). The JVM's and the process's own metrics come from
 * the Prometheus client's instrumentation. One registry per node, so nodes in one process do not mix.
 */
public final class NodeMetrics {
    /** Status is built once per scrape (every callback of one scrape reads the same snapshot). */
    private static final Duration SNAPSHOT_AGE = Duration.ofMillis(200);
    private static final String DHT_RPC_SENT = "rpc.sent.";
    private static final String DHT_RPC_RECEIVED = "rpc.received.";
    private static final String DHT_RPC_TIMEOUT = "rpc.timeout.";
    private static final String DHT_DROPPED = "dropped.";
    private static final String DHT_LOOKUPS = "lookup.count.";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Supplier<NodeStatus> status;
    private final MonotonicTotal downloaded = new MonotonicTotal();
    private final MonotonicTotal uploaded = new MonotonicTotal();
    private final MonotonicTotal verified = new MonotonicTotal();
    private final MonotonicTotal rejected = new MonotonicTotal();

    private NodeMetrics(Node node) {
        this.status = Suppliers.memoizeWithExpiration(node::status, SNAPSHOT_AGE);
        counter("kadshare_downloaded_bytes", "Chunk bytes received from peers by this node's downloads",
                c -> c.call(downloaded.update(perTransfer(t -> t.peers().stream()
                        .mapToLong(PeerStatus::bytesDownloaded).sum())))).unit(Unit.BYTES).register(registry);
        counter("kadshare_uploaded_bytes", "Chunk bytes this node served to peers, of every share and download",
                c -> c.call(uploaded.update(uploads()))).unit(Unit.BYTES).register(registry);
        counter("kadshare_chunks_verified", "Chunks that matched their hash and were stored",
                c -> c.call(verified.update(perTransfer(TransferStatus::chunksVerified)))).register(registry);
        counter("kadshare_chunks_rejected", "Chunks that failed their hash (their senders are banned)",
                c -> c.call(rejected.update(perTransfer(t -> t.peers().stream()
                        .mapToLong(PeerStatus::badChunks).sum())))).register(registry);
        GaugeWithCallback.builder().name("kadshare_peer_connections")
                .help("Open transfer connections: inbound (peers' to this node's server), outbound (its downloads')")
                .labelNames("direction").callback(c -> {
                    c.call(node.inboundConnections(), "inbound");
                    c.call(node.outboundConnections(), "outbound");
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_transfers").help("Downloads by state (every state listed)")
                .labelNames("state").callback(c -> {
                    Map<TransferState, Integer> byState = new HashMap<>();
                    status.get().transfers().forEach(t -> byState.merge(t.state(), 1, Integer::sum));
                    for (TransferState state : TransferState.values()) {
                        c.call(byState.getOrDefault(state, 0), state.name());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_shares").help("Contents this node serves from its library")
                .callback(c -> c.call(status.get().shares().size())).register(registry);
        GaugeWithCallback.builder().name("kadshare_dht_routing_table_contacts")
                .help("Contacts in the DHT's routing table")
                .callback(c -> c.call(status.get().routingTableSize())).register(registry);
        dhtCounter("kadshare_dht_rpcs_sent", "DHT requests and answers sent, by message type", "type", DHT_RPC_SENT);
        dhtCounter("kadshare_dht_rpcs_received", "DHT datagrams received and decoded, by message type", "type",
                DHT_RPC_RECEIVED);
        dhtCounter("kadshare_dht_rpc_timeouts", "DHT requests that got no answer in time, by type", "type",
                DHT_RPC_TIMEOUT);
        dhtCounter("kadshare_dht_dropped_datagrams", "DHT datagrams dropped, by reason", "reason", DHT_DROPPED);
        dhtCounter("kadshare_dht_lookups", "DHT lookups finished, by kind", "kind", DHT_LOOKUPS);
        Histogram lookups = Histogram.builder().name("kadshare_dht_lookup_duration_seconds")
                .help("How long DHT lookups took, by kind").unit(Unit.SECONDS).labelNames("kind")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        node.addLookupListener((kind, took) -> lookups.labelValues(kind).observe(took.toNanos() / 1e9));
        counter("kadshare_connection_drops", "Peer connections refused or closed by this node, by reason",
                c -> status.get().connectionDrops().forEach((reason, n) -> c.call(n, reason.name())))
                .labelNames("reason").register(registry);
        JvmMetrics.builder().register(registry); // the JVM's, and the process's (CPU, memory, open files)
    }

    /** The metrics of {@code node}, registered from now on. */
    public static NodeMetrics of(Node node) {
        return new NodeMetrics(node);
    }

    /** The Prometheus text format's media type, for the answer's Content-Type. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric, as they stand now, in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    private static CounterWithCallback.Builder counter(String name, String help,
            Consumer<CounterWithCallback.Callback> callback) {
        return CounterWithCallback.builder().name(name).help(help).callback(callback);
    }

    /** One counter per value of {@code label}, from the DHT counters named {@code prefix + value}. */
    private void dhtCounter(String name, String help, String label, String prefix) {
        counter(name, help, c -> status.get().dht().forEach((counter, n) -> {
            if (counter.startsWith(prefix) && counter.length() > prefix.length()) {
                c.call(n, counter.substring(prefix.length()));
            }
        })).labelNames(label).register(registry);
    }

    private Map<String, Long> perTransfer(ToLongFunction<TransferStatus> figure) {
        Map<String, Long> out = new HashMap<>();
        status.get().transfers().forEach(t -> out.put(t.contentId(), figure.applyAsLong(t)));
        return out;
    }

    /** Bytes served per content: a completed download is also a share, and counted once under its id. */
    private Map<String, Long> uploads() {
        Map<String, Long> out = new HashMap<>();
        NodeStatus s = status.get();
        s.shares().forEach(share -> out.merge(share.contentId(), share.bytesUploaded(), Math::max));
        s.transfers().forEach(t -> out.merge(t.contentId(), t.bytesUploaded(), Math::max));
        return out;
    }
}
