package dev.kadshare.node.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;

/**
 * How large the web page is and how fast it shows many transfers: a daemon with N transfers (default 1,000; links
 * nobody serves, so they stay SEARCHING), the page opened signed in, and the time from navigation to the list
 * painted with all N rows, several runs. Prints figures; asserts nothing about speed.
 *
 * <pre>mvn -B -q -pl node -am test-compile exec:exec@page-load-bench [-Dbench.transfers=1000 -Dbench.runs=5]</pre>
 */
public final class PageLoadBench {
    private PageLoadBench() {}

    public static void main(String[] args) throws Exception {
        int transfers = Integer.getInteger("bench.transfers", 1000);
        int runs = Integer.getInteger("bench.runs", 5);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
        Browser.unavailable().ifPresent(reason -> {
            throw new IllegalStateException("cannot measure: " + reason);
        });
        Path dir = Files.createTempDirectory("kadshare-page-bench");
        DataDir dataDir = new DataDir(dir.resolve("node"));
        try (Node node = NodeTestSupport.loopbackNode(dataDir.root(), List.of());
             ControlServer api = ControlServer.start(dataDir, node, () -> { });
             Browser browser = Browser.open(dir.resolve("profile"))) {
            String base = "http://" + Files.readString(dataDir.apiAddress()).trim();
            String token = Files.readString(dataDir.apiToken()).trim();
            Random random = new Random(1);
            Path out = Files.createDirectories(dir.resolve("out"));
            for (int i = 0; i < transfers; i++) {
                byte[] id = new byte[32];
                random.nextBytes(id);
                node.get(MagnetLink.parse("magnet:?xt=urn:kadshare:" + HexFormat.of().formatHex(id)
                        + "&dn=transfer%20" + i + ".bin&xl=" + (1L << 20) * (i + 1)), out);
            }
            printSizes(base, token);

            List<Double> painted = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                browser.go(base + "/");
                browser.js("sessionStorage.setItem('kadshare.token', arguments[0])", token);
                browser.go(base + "/");
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> browser.js(
                        "return performance.getEntriesByName('kadshare-rendered').length") instanceof Long n && n > 0);
                long rows = (Long) browser.js("return document.querySelectorAll('#transfers > li').length");
                if (rows != transfers) {
                    throw new IllegalStateException("the page shows " + rows + " transfers, not " + transfers);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) browser.js("const n = performance.getEntriesByType("
                        + "'navigation')[0]; return {dom: n.domContentLoadedEventEnd, fetched:"
                        + " performance.getEntriesByName('kadshare-fetched')[0].startTime, built:"
                        + " performance.getEntriesByName('kadshare-built')[0].startTime, painted:"
                        + " performance.getEntriesByName('kadshare-rendered')[0].startTime}");
                double ms = ((Number) t.get("painted")).doubleValue();
                painted.add(ms);
                System.out.printf("run %d: DOMContentLoaded %.0f ms, status and peers read %.0f ms, rows built %.0f ms,"
                        + " %d transfers painted %.0f ms%n", run + 1, ((Number) t.get("dom")).doubleValue(),
                        ((Number) t.get("fetched")).doubleValue(), ((Number) t.get("built")).doubleValue(), rows, ms);
            }
            painted.sort(null);
            System.out.printf("page with %d transfers: painted after %.0f ms (median of %d; min %.0f, max %.0f)%n",
                    transfers, painted.get(painted.size() / 2), runs, painted.get(0), painted.get(painted.size() - 1));
        }
    }

    private static void printSizes(String base, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/", "/app.js", "/app.css", "/icon.svg")) {
            int size = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body().length;
            System.out.printf("%-9s %6d bytes%n", path.equals("/") ? "HTML" : path.substring(1), size);
        }
        int status = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/status"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
        System.out.printf("GET /v1/status with the transfers: %d bytes%n", status);
    }
}
