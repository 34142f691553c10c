package dev.kadshare.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three daemon processes started from the built jar: A is the seed, B shares, C gets through the DHT. */
class DaemonProcessIT {
    @TempDir
    Path dir;

    @Test
    void threeDaemonsShareAndGet() throws Exception {
        byte[] content = new byte[4 * 1024 * 1024 + 999];
        new SplittableRandom(3).nextBytes(content);
        Path file = dir.resolve("payload.bin");
        Files.write(file, content);

        try (Kadshare.Daemon a = Kadshare.Daemon.start(dir.resolve("a"))) {
            String seed = "127.0.0.1:" + a.port(dir);
            try (Kadshare.Daemon b = Kadshare.Daemon.start(dir.resolve("b"), "--bootstrap", seed);
                 Kadshare.Daemon c = Kadshare.Daemon.start(dir.resolve("c"), "--bootstrap", seed)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> c.status(dir).path("routingTableSize").asInt() > 0
                        && b.status(dir).path("routingTableSize").asInt() > 0);

                Kadshare.Result share = b.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());
                String link = share.lastLine();
                assertTrue(link.startsWith("magnet:?xt=urn:kadshare:"), link);

                Path out = dir.resolve("downloads");
                Kadshare.Result get = c.cli(dir, "get", link, "--out", out.toString());
                assertEquals(0, get.exitCode(), get.toString());
                assertArrayEquals(content, Files.readAllBytes(out.resolve("payload.bin")));

                Kadshare.Result stop = c.cli(dir, "stop");
                assertEquals(0, stop.exitCode(), stop.toString());
                assertTrue(c.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(0, c.process.exitValue());
                assertFalse(Files.exists(c.dataDir.resolve("api.address")));
            }
        }
    }
}
