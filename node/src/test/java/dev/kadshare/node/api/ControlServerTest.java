package dev.kadshare.node.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.testkit.RandomFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ControlServerTest {
    private static final String UNKNOWN_LINK = "magnet:?xt=urn:kadshare:" + "ab".repeat(32) + "&dn=none";

    @TempDir
    Path dir;

    private DataDir dataDir;
    private Node node;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        dataDir = new DataDir(dir.resolve("d"));
        node = NodeTestSupport.loopbackNode(dataDir.root(), List.of());
        server = ControlServer.start(dataDir, node, () -> { });
    }

    @AfterEach
    void stop() {
        server.close();
        node.close();
    }

    /** Raw HTTP with the token, for what the CLI's client does not send. */
    private record Api(HttpClient http, String base, String token) {
        static Api of(DataDir dataDir) throws Exception {
            return new Api(HttpClient.newHttpClient(), "http://" + Files.readString(dataDir.apiAddress()).trim(),
                    Files.readString(dataDir.apiToken()).trim());
        }

        HttpResponse<String> send(String method, String path) throws Exception {
            return send(method, path, "");
        }

        HttpResponse<String> send(String method, String path, String body) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The status line answering {@code requestLine}, sent as is (HttpClient refuses malformed URIs). */
        String rawStatusLine(String requestLine) throws Exception {
            URI uri = URI.create(base);
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: " + uri.getHost()
                        + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            }
        }

        static String error(HttpResponse<String> response) throws Exception {
            return Json.MAPPER.readTree(response.body()).path("error").asText();
        }
    }

    @Test
    void requestsWithoutTheTokenAreRefusedAndErrorsAreJson() throws Exception {
        String address = Files.readString(dataDir.apiAddress()).trim();
        assertTrue(address.startsWith("127.0.0.1:"), address);
        HttpClient http = HttpClient.newHttpClient();
        URI status = URI.create("http://" + address + "/v1/status");

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(status).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(Json.MAPPER.readTree(anonymous.body()).path("error").asText().contains("token"));

        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(status)
                .header("Authorization", "Bearer 0000").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());

        ControlClient client = ControlClient.connect(dataDir);
        assertEquals(node.id().toHex(), client.get("/v1/status").path("nodeId").asText());
        ApiError missing = assertThrows(ApiError.class, () -> client.get("/v1/transfers/abc"));
        assertEquals(404, missing.status());
        ApiError badJson = assertThrows(ApiError.class, () -> client.post("/v1/transfers", Map.of("link", "nope")));
        assertEquals(400, badJson.status());
        server.close();
        assertTrue(Files.notExists(dataDir.apiAddress()), "address file removed on close");
    }

    @Test
    void anEmptiedTokenFileGetsANewTokenNotOneThatAnyRequestMatches() throws Exception {
        DataDir emptied = new DataDir(dir.resolve("emptied"));
        Files.createDirectories(emptied.root());
        Files.writeString(emptied.apiToken(), " \n");
        ControlServer second = ControlServer.start(emptied, node, () -> { });
        try {
            String token = Files.readString(emptied.apiToken()).trim();
            assertTrue(token.matches("[0-9a-f]{64}"), token);
            HttpResponse<String> bare = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + Files.readString(emptied.apiAddress()).trim() + "/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, bare.statusCode());
            assertEquals(200, Api.of(emptied).send("GET", "/v1/status").statusCode());
        } finally {
            second.close();
        }
    }

    @Test
    @Timeout(60)
    void clientsThatStallMidRequestAreCutOffAtTheDeadline() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // as many as the API has threads
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                socket.getOutputStream().write('G'); // one byte of "GET ...", then nothing
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            // Before the deadline, four threads each waited for ever on a stalled request: this one with them.
            assertEquals(200, Api.of(dataDir).send("GET", "/v1/status").statusCode());
            for (Socket socket : stalled) {
                socket.setSoTimeout(30_000);
                assertEquals(-1, socket.getInputStream().read(), "closed by the daemon");
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void sharesBeingHashedLeaveTheApiAnswering() throws Exception {
        Api api = Api.of(dataDir);
        List<Path> files = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> shares = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // as many as the API has threads
            Path big = dir.resolve("big" + i + ".bin");
            try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
                file.setLength(256L << 20); // sparse: a while to hash, nothing to write
            }
            files.add(big);
            shares.add(api.http().sendAsync(HttpRequest.newBuilder(URI.create(api.base() + "/v1/shares"))
                    .header("Authorization", "Bearer " + api.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"" + big + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // Both hashing threads at work: every share request has reached its handler, which used to wait there.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> openInThisProcess(files) == 2);
        assertEquals(200, api.send("GET", "/v1/status").statusCode());
        assertTrue(shares.stream().noneMatch(CompletableFuture::isDone), "answered while every share was hashed");
        for (CompletableFuture<HttpResponse<String>> share : shares) {
            assertEquals(200, share.get(60, TimeUnit.SECONDS).statusCode());
        }
    }

    /** How many of {@code files} this JVM holds open (Linux's /proc): the node is reading them. */
    private static long openInThisProcess(List<Path> files) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return files.contains(Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    @Test
    void transfersAndSharesAreListed() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files/listed.bin"), 5000, 1);
        ControlClient client = ControlClient.connect(dataDir);
        assertEquals(0, client.get("/v1/shares").path("shares").size());
        assertEquals(0, client.get("/v1/transfers").path("transfers").size());

        JsonNode shared = client.post("/v1/shares", Map.of("path", file.toString()));
        JsonNode shares = client.get("/v1/shares").path("shares");
        assertEquals(1, shares.size());
        assertEquals(shared.path("contentId").asText(), shares.get(0).path("contentId").asText());
        assertEquals(file.toString(), shares.get(0).path("path").asText());

        client.post("/v1/transfers", Map.of("link", UNKNOWN_LINK, "outDir", dir.resolve("out").toString()));
        JsonNode transfers = client.get("/v1/transfers").path("transfers");
        assertEquals(1, transfers.size());
        assertEquals("ab".repeat(32), transfers.get(0).path("contentId").asText());
        assertEquals(dir.resolve("out").toString(), transfers.get(0).path("outDir").asText());
    }

    @Test
    void aWrongMethodIs405WithAllowAndAnUnknownPathIs404() throws Exception {
        Api api = Api.of(dataDir);
        HttpResponse<String> deleteStatus = api.send("DELETE", "/v1/status");
        assertEquals(405, deleteStatus.statusCode());
        assertEquals("GET", deleteStatus.headers().firstValue("Allow").orElseThrow());
        assertTrue(Api.error(deleteStatus).contains("GET"), deleteStatus.body());

        HttpResponse<String> putShares = api.send("PUT", "/v1/shares", "{}");
        assertEquals(405, putShares.statusCode());
        assertEquals("GET, POST", putShares.headers().firstValue("Allow").orElseThrow());

        HttpResponse<String> getPause = api.send("GET", "/v1/transfers/abab/pause");
        assertEquals(405, getPause.statusCode());
        assertEquals("POST", getPause.headers().firstValue("Allow").orElseThrow());

        assertEquals(404, api.send("GET", "/v1/nothing").statusCode());
        assertEquals(404, api.send("GET", "/v1/transfers/abab/nothing").statusCode());
    }

    @Test
    void badQueriesAndRelativePathsAre400() throws Exception {
        Api api = Api.of(dataDir);
        HttpResponse<String> noQuery = api.send("GET", "/v1/search");
        assertEquals(400, noQuery.statusCode());
        assertTrue(Api.error(noQuery).contains("'q'"), noQuery.body());
        assertEquals(400, api.send("GET", "/v1/search?q=a+-+.").statusCode(), "no searchable word");
        assertEquals(400, api.send("GET", "/v1/search?q=one&q=two").statusCode(), "q twice");
        assertEquals("HTTP/1.1 400", api.rawStatusLine("GET /v1/search?q=%zz").substring(0, 12), "malformed escape");

        HttpResponse<String> relative = api.send("POST", "/v1/transfers",
                Json.MAPPER.writeValueAsString(Map.of("link", UNKNOWN_LINK, "outDir", "relative/out")));
        assertEquals(400, relative.statusCode());
        assertTrue(Api.error(relative).contains("absolute"), relative.body());
        assertTrue(node.transfers().isEmpty(), "nothing was started");
        assertFalse(Files.exists(Path.of("relative")), "nothing was created in the daemon's working directory");
        assertEquals(400, api.send("POST", "/v1/shares",
                Json.MAPPER.writeValueAsString(Map.of("path", "some/file"))).statusCode());
        assertEquals(404, api.send("POST", "/v1/transfers/abab/pause").statusCode(), "an id nobody has");
        HttpResponse<String> badFlag = api.send("DELETE", "/v1/content/abab?deleteData=yes");
        assertEquals(400, badFlag.statusCode());
    }

    /** Parameters are parsed, not matched as one string: others before them, in any order, and URL-decoded. */
    @Test
    void queryParametersWorkInAnyOrderAndAreDecoded() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files/Café Holiday.bin"), 5000, 2);
        ShareResult shared = node.share(file).get(30, TimeUnit.SECONDS);
        Api api = Api.of(dataDir);
        HttpResponse<String> search = api.send("GET", "/v1/search?client=test&q="
                + URLEncoder.encode("café holi", StandardCharsets.UTF_8));
        assertEquals(200, search.statusCode(), search.body());
        JsonNode found = Json.MAPPER.readTree(search.body());
        assertEquals("café holi", found.path("query").asText());
        assertEquals(List.of("cafe", "holi"), List.of(found.path("words").get(0).asText(), found.path("words").get(1).asText()));
        assertEquals(shared.contentId(), found.path("results").get(0).path("contentId").asText());
        assertEquals(node.routingTableSize(), found.path("routingTableSize").asInt(-1), search.body());

        HttpResponse<String> removed = api.send("DELETE", "/v1/content/" + shared.contentId().substring(0, 8)
                + "?client=test&deleteOriginal=true&deleteData=false");
        assertEquals(200, removed.statusCode(), removed.body());
        assertTrue(Json.MAPPER.readTree(removed.body()).path("originalDeleted").asBoolean(), removed.body());
        assertTrue(Files.notExists(file), "deleteOriginal=true was read although neither first nor last");
    }

    /**
     * An exception nobody foresaw is a 500 whose answer carries an id, and the log has a line with that id and
     * the stack trace; it is not turned into a 400 or 404 by its type. Here the node's DHT is gone.
     */
    @Test
    void anInternalFailureIs500WithAnIdThatIsInTheLog() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ControlServer.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            node.close();
            HttpResponse<String> failed = Api.of(dataDir).send("GET", "/v1/search?q=anything");
            assertEquals(500, failed.statusCode(), failed.body());
            JsonNode body = Json.MAPPER.readTree(failed.body());
            String errorId = body.path("errorId").asText();
            assertTrue(errorId.matches("[0-9a-f]{8}"), failed.body());
            assertTrue(body.path("error").asText().contains(errorId), failed.body());
            await().atMost(Duration.ofSeconds(5)).until(() -> logged.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains(errorId) && e.getThrowableProxy() != null));
            ILoggingEvent line = logged.list.stream().filter(e -> e.getFormattedMessage().contains(errorId))
                    .findFirst().orElseThrow();
            assertTrue(line.getFormattedMessage().contains("/v1/search"), line.getFormattedMessage());
            assertNotNull(line.getThrowableProxy(), "with the stack trace");
        } finally {
            logger.detachAppender(logged);
        }
    }
}
