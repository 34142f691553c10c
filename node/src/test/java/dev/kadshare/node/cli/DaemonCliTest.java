package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.NodeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end in one JVM: two daemons, share on one, get on the other, status, stop. */
class DaemonCliTest {
    @TempDir
    Path dir;

    private final CliDaemons daemons = new CliDaemons();

    private CompletableFuture<CliRun> daemon(Path dataDir, String... extra) {
        return daemons.start(dataDir, extra);
    }

    private static JsonNode status(Path dataDir) throws Exception {
        return CliDaemons.status(dataDir);
    }

    @AfterEach
    void stopAll() {
        daemons.close();
    }

    @Test
    void shareGetStatusStop() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        CompletableFuture<CliRun> daemonA = daemon(a);
        int portA = status(a).path("dhtPort").asInt();
        assertEquals(portA, status(a).path("transferPort").asInt(), "one port number for UDP and TCP");
        CompletableFuture<CliRun> daemonB = daemon(b, "--bootstrap", "127.0.0.1:" + portA);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(b).path("routingTableSize").asInt() > 0);

        Path file = NodeTestSupport.writeRandomFile(dir.resolve("files/data.bin"), 3 * 1024 * 1024 + 7, 7);
        CliRun share = CliRun.of("share", "--data-dir", a.toString(), file.toString());
        assertEquals(0, share.exitCode(), share.toString());
        String link = share.lastLine();
        assertTrue(link.matches("magnet:\\?xt=urn:kadshare:[0-9a-f]{64}&dn=data\\.bin&xl=" + Files.size(file)), link);

        Path out = dir.resolve("out");
        CliRun get = CliRun.of("get", "--data-dir", b.toString(), link, "--out", out.toString());
        assertEquals(0, get.exitCode(), get.toString());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("data.bin")));

        JsonNode transfer = status(b).path("transfers").get(0);
        assertEquals("COMPLETE", transfer.path("state").asText());
        assertEquals(transfer.path("chunksTotal").asInt(), transfer.path("chunksVerified").asInt());

        CliRun stop = CliRun.of("stop", "--data-dir", b.toString());
        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals(0, daemonB.join().exitCode());
        assertEquals(0, CliRun.of("stop", "--data-dir", a.toString()).exitCode());
        assertEquals(0, daemonA.join().exitCode());
    }
}
