package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.RandomFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kadshare open} prints a URL a player opens without the token; {@code get --sequential} downloads. */
class StreamCliTest {
    @TempDir
    Path dir;

    private final CliDaemons daemons = new CliDaemons();

    @AfterEach
    void stopAll() {
        daemons.close();
    }

    @Test
    void openPrintsAUrlThatServesTheFileAndGetSequentialCompletes() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        daemons.start(a);
        String bootstrap = CliDaemons.bootstrapThrough(a);
        daemons.start(b, "--bootstrap", bootstrap);
        daemons.start(c, "--bootstrap", bootstrap);
        CliDaemons.awaitJoined(b);
        CliDaemons.awaitJoined(c);
        Path file = RandomFiles.write(dir.resolve("files/clip.webm"), 2 * 1024 * 1024 + 3, 5);
        byte[] bytes = Files.readAllBytes(file);
        String link = CliDaemons.share(a, file);

        CliRun open = CliRun.of("open", "--data-dir", b.toString(), link, "--out", dir.resolve("b-out").toString());
        assertEquals(0, open.exitCode(), open.toString());
        String url = open.lastLine();
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/v1/transfers/[0-9a-f]{64}/content/clip\\.webm\\?key=[0-9a-f]{64}"),
                url);
        HttpResponse<byte[]> part = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Range", "bytes=1000000-1000099").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertEquals("video/webm", part.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(bytes, 1_000_000, 1_000_100), part.body());
        CliRun again = CliRun.of("open", "--data-dir", b.toString(), link);
        assertEquals(url, again.lastLine(), "a transfer already there: the same URL, no second download");

        CliRun get = CliRun.of("get", "--data-dir", c.toString(), link, "--sequential", "--out",
                dir.resolve("c-out").toString());
        assertEquals(0, get.exitCode(), get.toString());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("c-out/clip.webm")));
    }
}
