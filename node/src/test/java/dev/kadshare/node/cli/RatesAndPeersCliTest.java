package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.Json;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's truths about peers and rates, through the CLI against in-process daemons: a node never counts itself
 * as a peer (status, peers, {@code get}'s peer count), and rates and ETA are the daemon's, over its last few
 * seconds: no burst when {@code get} re-attaches, none at all while paused. The downloader is held to 1 MiB/s so a
 * download lasts long enough to watch.
 */
class RatesAndPeersCliTest {
    private static final long MIB = 1024 * 1024;
    /** Far above the 1 MiB/s limit (its bursts included): a rate counted from 0, or over the whole file, is not. */
    private static final long MAX_PLAUSIBLE_RATE = 3 * MIB;
    private static final Pattern GET_RATE = Pattern.compile(" ([0-9.]+) (B|KiB|MiB|GiB)/s ");

    @TempDir
    static Path dir;
    private static Path sharer;
    private static Path slow;
    private static final CliDaemons daemons = new CliDaemons();

    @BeforeAll
    static void startDaemons() throws Exception {
        sharer = dir.resolve("sharer");
        daemons.start(sharer);
        slow = dir.resolve("slow");
        daemons.start(slow, "--bootstrap", CliDaemons.bootstrapThrough(sharer),
                "--max-download-rate", "1M");
        CliDaemons.awaitJoined(slow);
    }

    @AfterAll
    static void stopDaemons() {
        daemons.close();
    }

    private static String shareNew(String name, long seed) throws Exception {
        return CliDaemons.share(sharer, RandomFiles.write(dir.resolve("src").resolve(name), 8 * MIB, seed));
    }

    private static CliRun get(String link, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("get", "--data-dir", slow.toString(), link, "--out",
                dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new))).get(90, TimeUnit.SECONDS);
    }

    private static double bytesOf(Matcher m) {
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "KiB" -> value * 1024;
            case "MiB" -> value * MIB;
            case "GiB" -> value * 1024 * MIB;
            default -> value;
        };
    }

    @Test
    void aNodeNeverCountsItselfAsAPeer() throws Exception {
        String link = shareNew("self.bin", 41);
        String self = CliDaemons.status(slow).path("nodeId").asText();
        int selfPort = CliDaemons.status(slow).path("transferPort").asInt();
        // The downloader announces itself at its first chunk; its later lookups find its own address.
        CliRun get = get(link);
        assertEquals(0, get.exitCode(), get.toString());
        List<String> progress = get.out().lines().filter(l -> l.contains(" chunks ")).toList();
        assertTrue(progress.size() > 2, get.out());
        for (String line : progress) {
            // 0 before the first dial, then 1: only the sharer is a peer.
            assertTrue(line.endsWith(", 0 peer(s)") || line.endsWith(", 1 peer(s)"), "counted itself: " + line);
        }
        assertTrue(progress.get(progress.size() - 1).endsWith(", 1 peer(s)"), get.out());
        JsonNode t = CliDaemons.transfer(slow, link);
        for (JsonNode p : t.path("peers")) {
            assertFalse(self.equals(p.path("nodeId").asText()) || p.path("address").asText().endsWith(":" + selfPort),
                    "listed itself: " + t);
        }
        assertEquals(1, t.path("peers").size(), t.toString());
        JsonNode peers = Json.MAPPER.readTree(CliRun.of("peers", "--json", "--data-dir", slow.toString()).out());
        assertFalse(peers.toString().contains(self), peers.toString());
    }

    @Test
    void ratesAreTheDaemonsOverTheLastSecondsAndAPausedTransferHasNone() throws Exception {
        String link = shareNew("rates.bin", 42);
        String id = CliDaemons.idOf(link);
        assertEquals(0, get(link, "--detach").exitCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> CliDaemons.transfer(slow, link).path("downloadRate").asLong() > 0);
        JsonNode t = CliDaemons.transfer(slow, link);
        assertTrue(t.path("downloadRate").asLong() <= MAX_PLAUSIBLE_RATE, t.toString());
        assertTrue(t.path("etaSeconds").isNumber() && t.path("etaSeconds").asLong() > 0, t.toString());
        assertTrue(t.path("uploadRate").isNumber(), t.toString());
        CliRun text = CliRun.of("status", "--data-dir", slow.toString());
        assertTrue(Pattern.compile("DOWNLOADING .* down [0-9.]+ (KiB|MiB)/s .* eta \\d+m\\d\\ds ").matcher(text.out()).find(),
                text.out());

        assertEquals(0, CliRun.of("pause", "--data-dir", slow.toString(), id).exitCode());
        t = CliDaemons.transfer(slow, link);
        assertEquals("PAUSED", t.path("state").asText());
        assertEquals(0, t.path("downloadRate").asLong(), t.toString());
        assertTrue(t.path("etaSeconds").isNull(), t.toString());
        text = CliRun.of("status", "--data-dir", slow.toString());
        assertTrue(Pattern.compile("PAUSED .* down 0\\.0 B/s .* eta - ").matcher(text.out()).find(), text.out());

        // Re-attached after the pause: every rate get shows is the daemon's recent one, never a burst.
        assertEquals(0, CliRun.of("resume", "--data-dir", slow.toString(), id).exitCode());
        CliRun get = get(link);
        assertEquals(0, get.exitCode(), get.toString());
        Matcher rates = GET_RATE.matcher(get.out());
        int seen = 0;
        while (rates.find()) {
            seen++;
            assertTrue(bytesOf(rates) <= MAX_PLAUSIBLE_RATE, rates.group() + " in " + get.out());
        }
        assertTrue(seen > 0, get.out());
        t = CliDaemons.transfer(slow, link);
        assertEquals("COMPLETE", t.path("state").asText());
        assertEquals(0, t.path("downloadRate").asLong(), t.toString());
        assertTrue(t.path("etaSeconds").isNull(), t.toString());
    }
}
