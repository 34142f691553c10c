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

    @Test
    void openFollowsTheTransferAndEndsAtOnceWhenItFailsOrIsPaused() throws Exception {
        Path a = dir.resolve("a");
        daemons.start(a);
        // Nobody holds these: no manifest will come; what ends the wait is the transfer's state, seen in its events.
        String failing = "magnet:?xt=urn:kadshare:" + "ab".repeat(32) + "&dn=x.webm";
        Path blocked = Files.write(dir.resolve("a-file"), new byte[] {1}).resolve("sub");
        CliRun open = CliRun.of("open", "--data-dir", a.toString(), failing, "--out", blocked.toString());
        assertEquals(1, open.exitCode(), open.toString());
        assertTrue(open.err().contains("download failed: output directory " + blocked), open.err());

        String paused = "magnet:?xt=urn:kadshare:" + "cd".repeat(32) + "&dn=y.webm";
        assertEquals(0, CliRun.of("get", "--data-dir", a.toString(), paused, "--detach", "--out",
                dir.resolve("out").toString()).exitCode());
        assertEquals(0, CliRun.of("pause", "--data-dir", a.toString(), "cdcd").exitCode());
        CliRun openPaused = CliRun.of("open", "--data-dir", a.toString(), paused);
        assertEquals(1, openPaused.exitCode(), openPaused.toString());
        assertTrue(openPaused.err().contains("the download is paused: resume it with 'kadshare resume"),
                openPaused.err());
    }
}
