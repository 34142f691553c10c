package dev.kadshare.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daemon processes started from the built jar, driven by the CLI as a user would. */
class DaemonProcessIT {
    @TempDir
    Path dir;

    private Path randomFile(String name, int size, long seed) throws Exception {
        return RandomFiles.write(dir.resolve("files").resolve(name), size, seed);
    }

    /** A is the seed, B shares, C gets through the DHT and finds it by name; then C stops cleanly. */
    @Test
    void threeDaemonsShareSearchAndGet() throws Exception {
        Path file = randomFile("Holiday Video 2026.mp4", 4 * 1024 * 1024 + 999, 3);
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

                Kadshare.Result search = c.cli(dir, "search", "holiday", "video", "--json");
                assertEquals(0, search.exitCode(), search.toString());
                JsonNode hit = search.json().path("results").get(0);
                assertEquals(link, hit.path("link").asText());
                assertEquals(2, hit.path("matched").size());

                Path out = dir.resolve("downloads");
                Path loaded = dir.resolve("get-classes.txt");
                Kadshare.Result get = Kadshare.run(dir, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + loaded),
                        "get", "--data-dir", c.dataDir.toString(), link, "--out", out.toString());
                assertEquals(0, get.exitCode(), get.toString());
                // A short command starts neither Logback nor databind's ObjectMapper: each would cost it about 0.1 CPU-s.
                String classes = Files.readString(loaded);
                assertTrue(classes.contains("] dev.kadshare.node.api.JsonTrees source"), "the log names what get loaded");
                assertFalse(classes.contains("] com.fasterxml.jackson.databind.ObjectMapper source"), "get made an ObjectMapper");
                assertFalse(classes.contains("] ch.qos.logback.classic.LoggerContext source"), "get started Logback");
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve(file.getFileName())));
                JsonNode transfer = c.status(dir).path("transfers").get(0);
                assertEquals("COMPLETE", transfer.path("state").asText());
                assertEquals(transfer.path("chunksTotal").asInt(), transfer.path("chunksVerified").asInt());

                // Shares, peer connections and completed downloads are logged at INFO; each daemon warmed its transfer
                // path up at start (its own throwaway downloads over loopback, which these lines must not be).
                String bLog = Files.readString(b.dataDir.resolve("kadshare.log"));
                String cLog = Files.readString(c.dataDir.resolve("kadshare.log"));
                String bPort = String.valueOf(b.port(dir));
                String id = link.substring("magnet:?xt=urn:kadshare:".length(), "magnet:?xt=urn:kadshare:".length() + 64);
                assertTrue(bLog.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("sharing Holiday Video 2026.mp4 (")), bLog);
                assertTrue(bLog.lines().anyMatch(l -> l.contains(" INFO ") && l.matches(".*peer /127\\.0\\.0\\.1:\\d+ connected for " + id + ".*")), bLog);
                assertTrue(cLog.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("connected to peer /127.0.0.1:" + bPort)), cLog);
                assertTrue(cLog.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("download of " + id + " complete: ")), cLog);
                for (String log : new String[] {bLog, cLog}) {
                    assertTrue(log.lines().anyMatch(l -> l.contains(" INFO ") && l.contains("transfer path warmed up: 2 loopback downloads")), log);
                }

                Kadshare.Result stop = c.cli(dir, "stop");
                assertEquals(0, stop.exitCode(), stop.toString());
                assertTrue(c.process.waitFor(20, TimeUnit.SECONDS));
                assertEquals(0, c.process.exitValue());
                assertFalse(Files.exists(c.dataDir.resolve("api.address")));
            }
        }
    }

    /**
     * C asks for a file while its only holder is down, then C restarts; B restarts with no --bootstrap
     * (rejoining from its saved routing table) and C's download, resumed from its data dir, completes.
     */
    @Test
    void restartResumesSharingAndDownloading() throws Exception {
        Path file = randomFile("resume.bin", 3 * 1024 * 1024 + 5, 4);
        try (Kadshare.Daemon a = Kadshare.Daemon.start(dir.resolve("a"))) {
            String seed = "127.0.0.1:" + a.port(dir);
            String link;
            Kadshare.Daemon b = Kadshare.Daemon.start(dir.resolve("b"), "--bootstrap", seed);
            try (b) {
                await().atMost(Duration.ofSeconds(30)).until(() -> b.status(dir).path("routingTableSize").asInt() > 0);
                Kadshare.Result share = b.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());
                link = share.lastLine();
            }
            Path out = dir.resolve("out");
            try (Kadshare.Daemon c = Kadshare.Daemon.start(dir.resolve("c"), "--bootstrap", seed)) {
                Kadshare.Result get = c.cli(dir, "get", link, "--out", out.toString(), "--detach");
                assertEquals(0, get.exitCode(), get.toString());
            }
            try (Kadshare.Daemon c = Kadshare.Daemon.start(dir.resolve("c"), "--bootstrap", seed);
                 Kadshare.Daemon b2 = Kadshare.Daemon.start(dir.resolve("b"))) {
                assertEquals(1, b2.status(dir).path("shares").size(), "B still shares after its restart");
                await().atMost(Duration.ofSeconds(90)).until(
                        () -> "COMPLETE".equals(c.status(dir).path("transfers").get(0).path("state").asText()));
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("resume.bin")));
            }
        }
    }
}
