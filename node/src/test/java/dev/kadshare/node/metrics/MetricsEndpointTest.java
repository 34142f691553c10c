package dev.kadshare.node.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.api.MetricsAccess;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.testkit.RandomFiles;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the Prometheus text format, as Prometheus's own parser reads it, moving with a download. */
class MetricsEndpointTest {
    private static final int SIZE = 3 * 1024 * 1024 + 17;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void countersMoveAfterADownloadAndTheTextParses() throws Exception {
        PrometheusTextParser.assumeAvailable();
        Path original = RandomFiles.write(dir.resolve("share/movie.bin"), SIZE, 7);
        DataDir bDir = new DataDir(dir.resolve("b"));
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = NodeTestSupport.loopbackNode(bDir.root(), List.of(a.address()));
             ControlServer api = ControlServer.start(bDir, b, () -> { })) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            PrometheusTextParser.Parsed before = PrometheusTextParser.parse(scrape(bDir, true).body());
            assertEquals(0, before.value("kadshare_downloaded_bytes_total", Map.of()));

            MagnetLink link = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
            Transfer t = b.get(link, Files.createDirectories(dir.resolve("out")));
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(t.done().get(60, TimeUnit.SECONDS)));

            // A scrape reads a status snapshot up to 200 ms old, and a download this small can end within that of
            // the scrape before it: the one to check is the first that sees it.
            AtomicReference<HttpResponse<String>> seen = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                seen.set(scrape(bDir, true));
                return PrometheusTextParser.parse(seen.get().body()).value("kadshare_transfers",
                        Map.of("state", "COMPLETE")) == 1;
            });
            HttpResponse<String> answer = seen.get();
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            PrometheusTextParser.Parsed after = PrometheusTextParser.parse(answer.body());
            assertEquals("counter", after.types().get("kadshare_downloaded_bytes"));
            assertTrue(after.value("kadshare_downloaded_bytes_total", Map.of()) >= SIZE, "bytes down counted");
            assertTrue(after.value("kadshare_chunks_verified_total", Map.of()) > 0, "chunks counted");
            assertEquals(0, after.value("kadshare_chunks_rejected_total", Map.of()));
            assertEquals(1, after.value("kadshare_transfers", Map.of("state", "COMPLETE")));
            assertEquals(0, after.value("kadshare_transfers", Map.of("state", "FAILED")), "every state listed");
            assertTrue(after.value("kadshare_dht_routing_table_contacts", Map.of()) >= 1);
            assertTrue(after.value("kadshare_dht_rpcs_sent_total", Map.of("type", "GetPeers"))
                    > before.samples().stream().filter(s -> s.name().equals("kadshare_dht_rpcs_sent_total")
                            && "GetPeers".equals(s.labels().get("type"))).mapToDouble(PrometheusTextParser.Sample::value)
                            .sum(), "GET_PEERS sent for the download");
            assertEquals("histogram", after.types().get("kadshare_dht_lookup_duration_seconds"));
            assertTrue(after.value("kadshare_dht_lookup_duration_seconds_count", Map.of("kind", "GET_PEERS")) >= 1,
                    "the download's lookup timed");
            assertEquals(0, after.value("kadshare_connection_drops_total", Map.of("reason", "IP_CAP")));
            assertTrue(after.types().containsKey("jvm_memory_used_bytes"), "JVM metrics");
            assertTrue(after.types().containsKey("process_cpu_seconds"), "process metrics");

            // The sharer's uploads, seen from its own node's metrics (no API needed to build them).
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            NodeMetrics.of(a).write(out);
            assertTrue(PrometheusTextParser.parse(out.toString(StandardCharsets.UTF_8)).value("kadshare_uploaded_bytes_total", Map.of())
                    >= SIZE, "bytes up counted");
        }
    }

    @Test
    void theTokenIsNeededUnlessTheMetricsArePublic() throws Exception {
        DataDir tokenDir = new DataDir(dir.resolve("t"));
        DataDir publicDir = new DataDir(dir.resolve("p"));
        try (Node t = NodeTestSupport.loopbackNode(tokenDir.root(), List.of());
             Node p = NodeTestSupport.loopbackNode(publicDir.root(), List.of());
             ControlServer tApi = ControlServer.start(tokenDir, t, () -> { });
             ControlServer pApi = ControlServer.start(publicDir, p, () -> { }, MetricsAccess.PUBLIC)) {
            assertEquals(401, scrape(tokenDir, false).statusCode());
            assertEquals(200, scrape(tokenDir, true).statusCode());
            assertEquals(200, scrape(publicDir, false).statusCode());
            assertEquals(401, get(publicDir, "/v1/status", false).statusCode(), "only /metrics is public");
        }
    }

    private HttpResponse<String> scrape(DataDir d, boolean withToken) throws Exception {
        return get(d, "/metrics", withToken);
    }

    private HttpResponse<String> get(DataDir d, String path, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://" + Files.readString(d.apiAddress()).trim() + path));
        if (withToken) {
            request.header("Authorization", "Bearer " + Files.readString(d.apiToken()).trim());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
