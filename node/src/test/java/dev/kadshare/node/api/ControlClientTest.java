package dev.kadshare.node.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.datadir.DataDir;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's client against a daemon that takes connections and never answers: it gives up, saying why. */
class ControlClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    /** A data dir whose address is {@code server}'s (no lock file: the address is trusted, as for older daemons). */
    private DataDir dataDirOf(ServerSocket server) throws Exception {
        Files.writeString(dir.resolve("api.address"), "127.0.0.1:" + server.getLocalPort() + "\n");
        Files.writeString(dir.resolve("api.token"), "ab".repeat(32) + "\n");
        return new DataDir(dir);
    }

    @Test
    void aDaemonThatNeverAnswersIsGivenUpOnWithAOneLineError() throws Exception {
        // Never accepted: the kernel completes the connection and queues it, as it does for a stopped process.
        try (ServerSocket wedged = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ControlClient client = ControlClient.connect(dataDirOf(wedged), TIMEOUT);
            String expected = "the daemon for data dir " + dir.toAbsolutePath().normalize()
                    + " did not answer within 1 s (stopped, or too busy?)";
            assertEquals(expected, assertThrows(ApiError.class, () -> client.get("/v1/status")).getMessage());
            assertEquals(expected, assertThrows(ApiError.class, () -> client.post("/v1/stop", Map.of())).getMessage());
            assertEquals(expected,
                    assertThrows(ApiError.class, () -> client.events(OptionalLong.empty())).getMessage());
        }
    }

    @Test
    void aShareIsAwaitedForAsLongAsItsHashingTakes() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        try (ServerSocket slow = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = slow.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.read(new byte[4096]); // the request's head and small body, or its start: enough
                    requested.countDown();
                    assertTrue(answer.await(30, TimeUnit.SECONDS), "the test lets the answer go");
                    byte[] body = "{\"contentId\":\"done\"}".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ControlClient client = ControlClient.connect(dataDirOf(slow), TIMEOUT);
            CompletableFuture<JsonNode> share = CompletableFuture.supplyAsync(
                    () -> client.postWithoutTimeout("/v1/shares", new Requests.Share("/some/file", null)));
            assertTrue(requested.await(10, TimeUnit.SECONDS));
            await().during(TIMEOUT.multipliedBy(2)).atMost(TIMEOUT.multipliedBy(4)).until(() -> !share.isDone());
            answer.countDown();
            assertEquals("done", share.get(10, TimeUnit.SECONDS).path("contentId").asText());
            server.get(10, TimeUnit.SECONDS);
        }
    }
}
