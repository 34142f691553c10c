package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.datadir.DataDir;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web page's files as HTTP serves them: without the token, typed, policed by CSP, revalidated, Host-checked. */
class WebPageTest {
    private static final Map<String, String> TYPES = Map.of("/", "text/html; charset=utf-8",
            "/app.js", "text/javascript; charset=utf-8", "/app.css", "text/css; charset=utf-8",
            "/icon.svg", "image/svg+xml");

    @TempDir
    Path dir;

    private Node node;
    private ControlServer server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        DataDir dataDir = new DataDir(dir.resolve("d"));
        node = NodeTestSupport.loopbackNode(dataDir.root(), List.of());
        server = ControlServer.start(dataDir, node, () -> { });
        base = "http://" + Files.readString(dataDir.apiAddress()).trim();
    }

    @AfterEach
    void stop() {
        server.close();
        node.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyFileIsServedWithoutTheTokenTypedAndUnderAStrictPolicy() throws Exception {
        for (Map.Entry<String, String> file : TYPES.entrySet()) {
            HttpResponse<String> response = get(file.getKey());
            assertEquals(200, response.statusCode(), file.getKey());
            assertEquals(file.getValue(), response.headers().firstValue("Content-Type").orElseThrow());
            String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(policy.startsWith("default-src 'self';") && !policy.contains("unsafe"), policy);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertFalse(response.body().isEmpty());
        }
        assertEquals(401, get("/v1/status").statusCode(), "the API still wants the token");
        assertEquals(401, get("/index.html").statusCode(), "only the page's own files are open");
    }

    /** What CSP relies on: the page has no inline script, style or handler, and loads only from its origin. */
    @Test
    void thePageHasNothingInlineAndNothingFromElsewhere() throws Exception {
        String html = get("/").body();
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        Matcher urls = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        int count = 0;
        while (urls.find()) {
            assertTrue(urls.group(1).startsWith("/") && !urls.group(1).startsWith("//"), urls.group(1));
            count++;
        }
        assertEquals(3, count, "the icon, the style sheet and the script");
        String js = get("/app.js").body();
        assertFalse(js.contains("innerHTML") || js.contains("outerHTML") || js.contains("insertAdjacentHTML")
                || js.contains("document.write") || js.contains("eval("), "outside data is only ever text");
        assertFalse(Pattern.compile("https?://").matcher(js + get("/app.css").body()).find(), "nothing from elsewhere");
    }

    /** A browser sends cookies by itself, a header only when the page's script adds it: only the header counts. */
    @Test
    void theTokenInACookieChangesNothing() throws Exception {
        String token = Files.readString(new DataDir(dir.resolve("d")).apiToken()).trim();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/transfers"))
                .header("Cookie", "token=" + token + "; Authorization=Bearer%20" + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"link\": \"magnet:?xt=urn:kadshare:" + "ab".repeat(32)
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, post.statusCode());
        assertTrue(node.transfers().isEmpty(), "nothing was started");
    }

    @Test
    void aBrowserRevalidatesAndGets304WhileUnchanged() throws Exception {
        HttpResponse<String> first = get("/app.js");
        assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/app.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(200, get("/app.js", "If-None-Match", "\"stale\"").statusCode());
    }

    @Test
    void onlyGetAndHeadAndOnlyOnOwnHost() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());

        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: attacker.example:" + uri.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 403 Forbidden", status, "a rebinding page does not even get the page");
        }
    }
}
