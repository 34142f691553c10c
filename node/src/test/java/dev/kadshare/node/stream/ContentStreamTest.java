package dev.kadshare.node.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.node.api.ContentStreams;
import java.io.BufferedReader;
import java.io.InputStream;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/transfers/{id}/content}: ranges of a file while it downloads, only verified bytes, safely named;
 * {@code HEAD} says the same without the bytes.
 */
class ContentStreamTest {
    /** 64 chunks of 64 KiB. */
    private static final int SIZE = 4 * 1024 * 1024;
    /** The sharer's upload: the whole file takes about 32 s, a few chunks well under that. */
    private static final long SLOW = 128 * 1024;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aRangeInTheMiddleArrivesExactlyBeforeTheDownloadCompletes() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/film.mp4"), SIZE, 11);
        byte[] bytes = Files.readAllBytes(original);
        DataDir bDir = new DataDir(dir.resolve("b"));
        // C got the file from A and serves it slowly, as a plain seeder; A, the sharer, is gone by the time B asks.
        Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
        MagnetLink shared;
        try (Node c = Node.start(new NodeConfig(new DataDir(dir.resolve("c")),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(a.address()),
                     new NodeConfig.RateLimits(SLOW, 0)))) {
            try {
                c.bootstrapped().get(10, TimeUnit.SECONDS);
                shared = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
                c.get(shared, Files.createDirectories(dir.resolve("c-out"))).done().get(60, TimeUnit.SECONDS);
            } finally {
                a.close();
            }
            MagnetLink link = MagnetLink.parse(shared.format() + "&x.pe=127.0.0.1:" + c.port());
            try (Node b = NodeTestSupport.loopbackNode(bDir.root(), List.of(c.address()));
                 ControlServer api = ControlServer.start(bDir, b, () -> { })) {
                downloadAndReadTheMiddle(b, bDir, link, bytes);
            }
        }
    }

    @Test
    void aRangeInTheMiddleArrivesFromTheSoleSharerWhileItSeedsInitially() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/film.mp4"), SIZE, 12);
        byte[] bytes = Files.readAllBytes(original);
        DataDir bDir = new DataDir(dir.resolve("b"));
        // A is the only holder: it reveals one chunk at a time, lowest first; the reader's chunks come out of turn.
        try (Node a = Node.start(new NodeConfig(new DataDir(dir.resolve("a")),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(),
                     new NodeConfig.RateLimits(SLOW, 0)));
             Node b = NodeTestSupport.loopbackNode(bDir.root(), List.of(a.address()));
             ControlServer api = ControlServer.start(bDir, b, () -> { })) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
            downloadAndReadTheMiddle(b, bDir, link, bytes);
        }
    }

    @Test
    void readersThatGoAwayWhileWaitingFreeTheirPlacesAtOnce() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")),
                "no /proc/net/tcp (not Linux): a reader that went away is seen at its next write only");
        Path original = RandomFiles.write(dir.resolve("share/film.mp4"), SIZE, 13);
        DataDir bDir = new DataDir(dir.resolve("b"));
        // 1 KiB/s: a chunk of 64 KiB takes a minute, so every reader below waits for as long as the test runs.
        try (Node a = Node.start(new NodeConfig(new DataDir(dir.resolve("a")),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(),
                     new NodeConfig.RateLimits(1024, 0)));
             Node b = NodeTestSupport.loopbackNode(bDir.root(), List.of(a.address()));
             ControlServer api = ControlServer.start(bDir, b, () -> { })) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
            b.get(link, Files.createDirectories(dir.resolve("out")));
            URI url = URI.create(streamUrl(bDir, link.contentId().toHex()));
            String range = "bytes=" + SIZE / 2 + "-";
            List<Socket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < ContentStreams.MAX_STREAMS; i++) {
                    readers.add(waitingReader(url, range));
                }
                assertEquals(503, statusOf(url, range), "every place is taken");
            } finally {
                for (Socket reader : readers) {
                    reader.close();
                }
            }
            // Gone without a byte written to them: their places (and the chunks they waited for) are free again.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> statusOf(url, range) == 206);
        }
    }

    /** A player's request, answered (status and headers) and waiting for its bytes; closing it is going away. */
    private static Socket waitingReader(URI url, String range) throws Exception {
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\nHost: "
                + url.getHost() + ":" + url.getPort() + "\r\nRange: " + range + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)).readLine();
        assertEquals("HTTP/1.1 206 Partial Content", statusLine);
        return socket;
    }

    /** The status of a GET of {@code range}, read as soon as it comes; the body is not waited for. */
    private int statusOf(URI url, String range) throws Exception {
        HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(url).header("Range", range).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        answer.body().close();
        return answer.statusCode();
    }

    private void downloadAndReadTheMiddle(Node b, DataDir bDir, MagnetLink link, byte[] bytes) throws Exception {
        Transfer t = b.get(link, Files.createDirectories(dir.resolve("out")));
        String url = streamUrl(bDir, link.contentId().toHex());
        assertTrue(url.endsWith("/content/film.mp4?key=" + new StreamKeys(token(bDir)).keyOf(link.contentId()
                .toHex())), url);

        long first = SIZE / 2 + 12_345;
        long last = first + 150_000;
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Range", "bytes=" + first + "-" + last).build(), HttpResponse.BodyHandlers.ofByteArray());
        TransferStatus then = b.statusOf(t);

        assertEquals(206, part.statusCode());
        assertEquals("bytes " + first + "-" + last + "/" + SIZE, part.headers().firstValue("Content-Range")
                .orElseThrow());
        assertEquals("video/mp4", part.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) first, (int) last + 1), part.body());
        assertEquals(TransferState.DOWNLOADING, then.state(), "served while downloading");
        // At most a pipeline of requests went ahead of them; at random, all three would come within the first quarter
        // about once in 64 runs.
        assertTrue(then.chunksVerified() < then.chunksTotal() / 4,
                "the range's chunks jumped the queue: " + then.chunksVerified() + " of " + then.chunksTotal());

        // The tail too (a player reads the index at the end of an mp4 first), and nothing without the key.
        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Range", "bytes=-1000").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, SIZE - 1000, SIZE), tail.body());
        String noKey = url.substring(0, url.indexOf('?'));
        assertEquals(401, get(noKey, "bytes=0-0").statusCode());
        assertEquals(401, get(noKey + "?key=" + "0".repeat(64), "bytes=0-0").statusCode());
    }

    @Test
    void badRangesAre416AndPathsOutsideTheContentAreRefused() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share/album"));
        byte[] one = Files.readAllBytes(RandomFiles.write(share.resolve("one.mp3"), 300_000, 1));
        byte[] two = Files.readAllBytes(RandomFiles.write(share.resolve("disc 2/two.flac"), 200_001, 2));
        DataDir bDir = new DataDir(dir.resolve("b"));
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = NodeTestSupport.loopbackNode(bDir.root(), List.of(a.address()));
             ControlServer api = ControlServer.start(bDir, b, () -> { })) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(a.share(share).get(30, TimeUnit.SECONDS).link());
            Transfer t = b.get(link, Files.createDirectories(dir.resolve("out")));
            t.done().get(60, TimeUnit.SECONDS);
            JsonNode files = stream(bDir, link.contentId().toHex()).path("files");
            assertEquals(2, files.size());
            assertEquals("disc 2/two.flac", files.get(0).path("path").asText(), "in manifest order");
            String twoUrl = files.get(0).path("url").asText();
            assertTrue(twoUrl.contains("/content/disc%202/two.flac?key="), twoUrl);

            HttpResponse<byte[]> whole = get(twoUrl, null);
            assertEquals(200, whole.statusCode());
            assertEquals("audio/flac", whole.headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(two, whole.body());
            assertArrayEquals(Arrays.copyOfRange(one, 10, 21), get(files.get(1).path("url").asText(), "bytes=10-20")
                    .body());

            HttpResponse<byte[]> head = head(twoUrl, null);
            assertEquals(200, head.statusCode());
            assertEquals("200001", head.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("bytes", head.headers().firstValue("Accept-Ranges").orElseThrow());
            assertEquals("audio/flac", head.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(0, head.body().length, "no body");
            HttpResponse<byte[]> headPart = head(twoUrl, "bytes=10-20");
            assertEquals(206, headPart.statusCode());
            assertEquals("11", headPart.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("bytes 10-20/200001", headPart.headers().firstValue("Content-Range").orElseThrow());
            assertEquals(416, head(twoUrl, "bytes=200001-").statusCode());
            HttpResponse<byte[]> noKey = head(twoUrl.substring(0, twoUrl.indexOf('?')), null);
            assertEquals(401, noKey.statusCode());
            assertEquals(0, noKey.body().length, "an error to a HEAD has no body either");
            assertArrayEquals(two, get(twoUrl, null).body(), "the connection is still good after a HEAD");

            HttpResponse<byte[]> past = get(twoUrl, "bytes=200001-");
            assertEquals(416, past.statusCode());
            assertEquals("bytes */200001", past.headers().firstValue("Content-Range").orElseThrow());
            assertEquals(416, get(twoUrl, "bytes=-0").statusCode());
            assertEquals(200, get(twoUrl, "bytes=5-2").statusCode(), "an unreadable range is ignored (RFC 9110)");

            String key = twoUrl.substring(twoUrl.indexOf('?'));
            String base = twoUrl.substring(0, twoUrl.indexOf("/content/") + "/content".length());
            for (String outside : List.of("/..%2F..%2F..%2Fetc%2Fpasswd", "/disc%202/..%2F..%2Fone.mp3",
                    "/%2Fetc%2Fpasswd", "/one.mp3%00", "/DISC%202/two.flac")) {
                assertEquals(404, get(base + outside + key, null).statusCode(), outside);
            }
            assertEquals(404, get(base + key, null).statusCode(), "a directory: a file must be named");
        }
    }

    private HttpResponse<byte[]> get(String url, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> head(String url, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The first file's URL, once the manifest is known (503 until then). */
    private String streamUrl(DataDir d, String id) throws Exception {
        return stream(d, id).path("files").get(0).path("url").asText();
    }

    private JsonNode stream(DataDir d, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + Files.readString(d.apiAddress()).trim()
                + "/v1/transfers/" + id + "/stream")).header("Authorization", "Bearer " + new String(token(d))).build();
        HttpResponse<String>[] answer = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            answer[0] = http.send(request, HttpResponse.BodyHandlers.ofString());
            return answer[0].statusCode() != 503;
        });
        assertEquals(200, answer[0].statusCode(), answer[0].body());
        return json.readTree(answer[0].body());
    }

    private static byte[] token(DataDir d) throws Exception {
        return Files.readString(d.apiToken()).trim().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
