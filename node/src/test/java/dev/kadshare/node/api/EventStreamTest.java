package dev.kadshare.node.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.testkit.RandomFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/events} over real HTTP on 127.0.0.1: what it streams, resuming, and whom it refuses. */
class EventStreamTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private DataDir dataDir;
    private Node node;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        dataDir = new DataDir(dir.resolve("d"));
        // Downloads at 4 MiB/s: a few MiB take long enough to show progress.
        node = startNode(dataDir, List.of(), new NodeConfig.RateLimits(0, 4L << 20));
        server = ControlServer.start(dataDir, node, () -> { });
        closing.add(server);
    }

    @AfterEach
    void stop() throws Exception {
        // The server first: it ends every stream, so each reader's close finds no read in progress to wait for.
        server.close();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private Node startNode(DataDir data, List<InetSocketAddress> bootstrap, NodeConfig.RateLimits limits)
            throws IOException {
        Node started = Node.start(new NodeConfig(data, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bootstrap, limits));
        closing.add(started);
        return started;
    }

    /** Reads a stream on a thread of its own into a list, until closed. */
    private static final class Collector implements AutoCloseable {
        final List<EventStreamReader.Event> events = new CopyOnWriteArrayList<>();
        final EventStreamReader reader;
        final Thread thread;
        volatile boolean ended;

        Collector(EventStreamReader reader) {
            this.reader = reader;
            this.thread = new Thread(() -> {
                try {
                    for (Optional<EventStreamReader.Event> e = reader.next(); e.isPresent(); e = reader.next()) {
                        events.add(e.get());
                    }
                } catch (IOException e) {
                    // closed by the test, or by the daemon
                } finally {
                    ended = true;
                }
            }, "test-events");
            thread.setDaemon(true);
            thread.start();
        }

        List<EventStreamReader.Event> ofType(String type) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }

        EventStreamReader.Event awaitOne(String type, Predicate<JsonNode> matching) {
            return await().atMost(PATIENCE).until(() -> ofType(type).stream().filter(e -> matching.test(json(e)))
                    .findFirst(), Optional::isPresent).orElseThrow();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private Collector collect(OptionalLong lastEventId) {
        Collector collector = new Collector(ControlClient.connect(dataDir).events(lastEventId));
        closing.add(collector);
        return collector;
    }

    private static JsonNode json(EventStreamReader.Event event) {
        try {
            return event.json();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long id(EventStreamReader.Event event) {
        return event.id().orElseThrow();
    }

    private static void assertIdsIncrease(List<EventStreamReader.Event> events) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(id(events.get(i)) > id(events.get(i - 1)), "ids grow: " + events);
        }
    }

    @Test
    void aShareADownloadsProgressAndItsCompletionAreStreamedWithGrowingIds() throws Exception {
        // A sharer elsewhere, named to our node by the link's peer hint.
        Node sharer = startNode(new DataDir(dir.resolve("sharer")), List.of(), NodeConfig.RateLimits.UNLIMITED);
        Collector stream = collect(OptionalLong.empty());
        ControlClient client = ControlClient.connect(dataDir);

        Path own = RandomFiles.write(dir.resolve("files/own.bin"), 5000, 1);
        String ownId = client.post("/v1/shares", Map.of("path", own.toString())).path("contentId").asText();
        JsonNode added = json(stream.awaitOne("share-added", e -> e.path("share").path("contentId").asText()
                .equals(ownId)));
        assertEquals(own.toString(), added.path("share").path("path").asText());

        Path big = RandomFiles.write(dir.resolve("files/big.bin"), 8L << 20, 2);
        ShareResult shared = sharer.share(big).join();
        String link = shared.link() + "&x.pe=127.0.0.1:" + sharer.port();
        client.post("/v1/transfers", Map.of("link", link, "outDir", dir.resolve("out").toString()));
        String id = shared.contentId();
        Predicate<JsonNode> ours = e -> e.path("transfer").path("contentId").asText().equals(id);

        JsonNode complete = json(stream.awaitOne("transfer-state", ours.and(e -> e.path("transfer").path("state")
                .asText().equals("COMPLETE"))));
        assertEquals(dir.resolve("out/big.bin").toString(), complete.path("transfer").path("path").asText());
        List<EventStreamReader.Event> all = List.copyOf(stream.events);
        assertIdsIncrease(all);
        List<String> ofTransfer = all.stream().filter(e -> ours.test(json(e))).map(EventStreamReader.Event::type)
                .toList();
        assertEquals("transfer-added", ofTransfer.get(0), ofTransfer.toString());
        assertTrue(ofTransfer.contains("transfer-state"), ofTransfer.toString());
        List<JsonNode> partial = stream.ofType("transfer-progress").stream().map(EventStreamTest::json)
                .filter(ours).map(e -> e.path("transfer"))
                .filter(t -> t.path("chunksVerified").asInt() > 0
                        && t.path("chunksVerified").asInt() < t.path("chunksTotal").asInt())
                .toList();
        assertFalse(partial.isEmpty(), "progress between none and all chunks: " + ofTransfer);
        assertTrue(partial.stream().allMatch(t -> t.path("state").asText().equals("DOWNLOADING")), partial.toString());
        // The sharer took part, and the finished download is served from the library.
        stream.awaitOne("peer-joined", e -> e.path("contentId").asText().equals(id)
                && e.path("peer").path("nodeId").asText().equals(sharer.id().toHex()));
        stream.awaitOne("share-added", e -> e.path("share").path("contentId").asText().equals(id));

        client.delete("/v1/content/" + id);
        stream.awaitOne("transfer-removed", e -> e.path("contentId").asText().equals(id));
        stream.awaitOne("share-removed", e -> e.path("contentId").asText().equals(id));
        assertIdsIncrease(List.copyOf(stream.events));
    }

    @Test
    void reconnectingWithTheLastEventIdGetsEverythingAfterIt() throws Exception {
        Collector first = collect(OptionalLong.empty());
        ControlClient client = ControlClient.connect(dataDir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path file = RandomFiles.write(dir.resolve("files/f" + i + ".bin"), 3000, 10 + i);
            ids.add(client.post("/v1/shares", Map.of("path", file.toString())).path("contentId").asText());
            if (i == 2) {
                await().atMost(PATIENCE).until(() -> first.ofType("share-added").size() == 3);
                first.close(); // the client goes away; one more share happens while it is gone
            }
        }
        List<EventStreamReader.Event> seen = first.ofType("share-added");
        assertIdsIncrease(seen);

        Collector again = collect(OptionalLong.of(id(seen.get(0))));
        await().atMost(PATIENCE).until(() -> again.ofType("share-added").size() >= 3);
        List<EventStreamReader.Event> replayed = again.events;
        assertEquals(List.of(id(seen.get(1)), id(seen.get(2)), id(seen.get(2)) + 1),
                replayed.stream().limit(3).map(EventStreamTest::id).toList());
        assertEquals(ids.subList(1, 4), replayed.stream().limit(3)
                .map(e -> json(e).path("share").path("contentId").asText()).toList());
    }

    @Test
    void anIdNoLongerHeldGetsAMissedNoticeAndTheStreamGoesOn() throws Exception {
        Collector stream = collect(OptionalLong.of(1)); // far older than anything this run issued
        EventStreamReader.Event missed = await().atMost(PATIENCE).until(() -> stream.ofType("missed"),
                l -> !l.isEmpty()).get(0);
        assertEquals(1, json(missed).path("after").asLong());
        long latest = json(missed).path("latest").asLong();
        assertEquals(latest, id(missed), "a client reconnecting after the notice asks for what follows it");
        assertEquals("missed", stream.events.get(0).type(), "the notice comes first");

        Path file = RandomFiles.write(dir.resolve("files/after.bin"), 3000, 3);
        ControlClient.connect(dataDir).post("/v1/shares", Map.of("path", file.toString()));
        EventStreamReader.Event added = stream.awaitOne("share-added", e -> true);
        assertTrue(id(added) > latest);
    }

    @Test
    void withoutTheRightTokenTheStreamIsRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI events = URI.create("http://" + Files.readString(dataDir.apiAddress()).trim() + "/v1/events");
        for (Optional<String> header : List.of(Optional.<String>empty(), Optional.of("Bearer 0000"))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(events).timeout(PATIENCE);
            header.ifPresent(h -> request.header("Authorization", h));
            HttpResponse<String> refused = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
            assertTrue(Json.MAPPER.readTree(refused.body()).path("error").asText().contains("token"), refused.body());
        }
    }

    @Test
    void aForeignHostIsRefusedWith403AndLoopbackNamesAreServed() throws Exception {
        int port = server.port();
        String token = Files.readString(dataDir.apiToken()).trim();
        for (String host : List.of("evil.example:" + port, "evil.example", "127.0.0.1.evil.example:" + port,
                "localhost.:" + port, "10.0.0.1:" + port, "localhost:x")) {
            List<String> answer = rawRequest("POST /v1/stop", Optional.of(host), token);
            assertEquals("HTTP/1.1 403 Forbidden", answer.get(0), host);
            String body = answer.get(answer.size() - 1);
            assertTrue(Json.MAPPER.readTree(body).path("error").asText().contains("Host"), body);
        }
        assertEquals("HTTP/1.1 403 Forbidden", rawRequest("GET /v1/status", Optional.empty(), token).get(0),
                "no Host at all");
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port,
                "localhost:8080")) {
            assertEquals("HTTP/1.1 200 OK", rawRequest("GET /v1/status", Optional.of(host), token).get(0), host);
        }
        // The refused stops did nothing: the daemon still answers.
        assertEquals(node.id().toHex(), ControlClient.connect(dataDir).get("/v1/status").path("nodeId").asText());
    }

    /** The status line and the last line (the body) answering {@code requestLine}, with {@code host} as the Host. */
    private List<String> rawRequest(String requestLine, Optional<String> host, String token) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            String hostLine = host.map(h -> "Host: " + h + "\r\n").orElse("");
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\n" + hostLine + "Authorization: Bearer " + token
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .lines().toList();
        }
    }

    @Test
    void streamsAreBoundedAndEndWhenTheServerStops() throws Exception {
        List<Collector> open = new ArrayList<>();
        for (int i = 0; i < EventStreams.MAX_STREAMS; i++) {
            open.add(collect(OptionalLong.empty()));
        }
        ApiError full = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
                () -> ControlClient.connect(dataDir).events(OptionalLong.empty()));
        assertEquals(503, full.status());
        // The other requests have threads of their own.
        assertEquals(node.id().toHex(), ControlClient.connect(dataDir).get("/v1/status").path("nodeId").asText());

        open.get(0).close();
        await().atMost(PATIENCE).until(() -> {
            try {
                closing.add(new Collector(ControlClient.connect(dataDir).events(OptionalLong.empty())));
                return true;
            } catch (ApiError e) {
                return false; // the closed stream's slot is freed once its thread sees it gone
            }
        });

        server.close();
        await().atMost(PATIENCE).until(() -> open.stream().skip(1).allMatch(c -> c.ended));
    }
}
