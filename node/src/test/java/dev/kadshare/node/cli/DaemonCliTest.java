package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.Json;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Every field name of a status or peers answer appears, quoted, in the README's JSON documentation. */
    private static void assertReadmeDocumentsEveryField(JsonNode json) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> missing = new ArrayList<>();
        collectFields(json, "", readme, missing);
        assertTrue(missing.isEmpty(), "README.md does not document " + missing);
    }

    private static void collectFields(JsonNode json, String path, String readme, List<String> missing) {
        if (json.isArray()) {
            json.forEach(e -> collectFields(e, path + "[]", readme, missing));
        } else if (json.isObject() && !path.equals(".dht")) { // the DHT's counters are described as a family
            json.fieldNames().forEachRemaining(f -> {
                if (!readme.contains("\"" + f + "\"")) {
                    missing.add(path + "." + f);
                }
                collectFields(json.get(f), path + "." + f, readme, missing);
            });
        }
    }

    @Test
    void shareGetStatusStop() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        CompletableFuture<CliRun> daemonA = daemon(a);
        int portA = status(a).path("dhtPort").asInt();
        assertEquals(portA, status(a).path("transferPort").asInt(), "one port number for UDP and TCP");
        CompletableFuture<CliRun> daemonB = daemon(b, "--bootstrap", "127.0.0.1:" + portA);
        CliDaemons.awaitJoined(b);

        Path file = RandomFiles.write(dir.resolve("files/data.bin"), 3 * 1024 * 1024 + 7, 7);
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

        // Text status: per transfer its state, progress, rates, ETA, peers and uploaded bytes.
        CliRun text = CliRun.of("status", "--data-dir", b.toString());
        assertEquals(0, text.exitCode(), text.toString());
        // How others see it: on one machine every observer is 127.0.0.1, one observer, no verdict yet.
        JsonNode reach = status(b).path("reachability");
        assertEquals("UNKNOWN", reach.path("mapping").asText(), reach.toString());
        assertEquals(1, reach.path("observers").asInt(), reach.toString());
        assertTrue(text.out().contains("\nreach     UNKNOWN (1 observer(s))\n"), text.out());
        String line = text.out().lines().filter(l -> l.contains("COMPLETE")).findFirst().orElseThrow();
        assertTrue(line.matches("\\s+COMPLETE\\s+100\\.0% (\\d+)/\\1 chunks \\(3\\.0 MiB of 3\\.0 MiB\\)  down \\S+( \\S+)?  "
                + "up \\S+( \\S+)?  eta \\S+  1 peer\\(s\\)  uploaded \\d+\\.\\d \\S+"), line);
        // The sharer's peers: who it uploads to, and how much.
        await().atMost(Duration.ofSeconds(20)).until(() -> Json.MAPPER.readTree(
                CliRun.of("peers", "--json", "--data-dir", a.toString()).out()).path("shares").get(0).path("peers").size() == 1);
        CliRun peers = CliRun.of("peers", "--data-dir", a.toString());
        assertEquals(0, peers.exitCode(), peers.toString());
        List<String> peerLines = peers.out().lines().toList();
        int sharing = peerLines.indexOf(peerLines.stream().filter(l -> l.startsWith("sharing data.bin (")).findFirst()
                .orElseThrow(() -> new AssertionError(peers.out())));
        assertTrue(peerLines.get(sharing).endsWith("uploading to 1 peer(s)"), peers.out());
        assertTrue(peerLines.get(sharing + 1).matches("  127\\.0\\.0\\.1:\\d+ +node [0-9a-f]{16} +down 0\\.0 B +up 3\\.0 MiB .*"),
                peers.out());
        assertReadmeDocumentsEveryField(status(b));
        assertReadmeDocumentsEveryField(Json.MAPPER.readTree(CliRun.of("peers", "--json", "--data-dir", b.toString()).out()));
        assertReadmeDocumentsEveryField(Json.MAPPER.readTree(CliRun.of("peers", "--json", "--data-dir", a.toString()).out()));

        CliRun stop = CliRun.of("stop", "--data-dir", b.toString());
        assertEquals(0, stop.exitCode(), stop.toString());
        assertEquals(0, daemonB.join().exitCode());
        assertEquals(0, CliRun.of("stop", "--data-dir", a.toString()).exitCode());
        assertEquals(0, daemonA.join().exitCode());
    }

    /** What a terminal must not receive from a remote peer: C0 (but the line ends we print), DEL, C1, bidi overrides. */
    private static void assertNothingRaw(CliRun run) {
        String all = run.out() + run.err();
        all.chars().forEach(c -> assertTrue(c == '\n' || !(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e),
                String.format("raw U+%04X reached the terminal: %s", c, run)));
    }

    @Test
    void namesChosenByRemotePeersAreEscapedInSearchGetAndStatus() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        daemon(a);
        daemon(b, "--bootstrap", CliDaemons.bootstrapThrough(a));
        CliDaemons.awaitJoined(b);

        // A sharer names its content with a C1 CSI (clears the screen on some terminals) and a bidi override.
        String hostile = "clip\u009b2J\u202eevil.mp4";
        String shown = "clip\\x9b2J\\u202eevil.mp4";
        Path file = RandomFiles.write(dir.resolve("files/clip.bin"), 300 * 1024, 9);
        CliRun share = CliRun.of("share", "--data-dir", a.toString(), file.toString(), "--name", hostile);
        assertEquals(0, share.exitCode(), share.toString());
        assertNothingRaw(share);

        CliRun[] search = new CliRun[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            search[0] = CliRun.of("search", "--data-dir", b.toString(), "clip");
            return search[0].out().contains(shown);
        });
        assertNothingRaw(search[0]);

        CliRun get = CliRun.of("get", "--data-dir", b.toString(), share.lastLine(), "--out", dir.resolve("out").toString());
        assertNothingRaw(get);
        assertTrue((get.out() + get.err()).contains(shown), get.toString());

        // A link's own name (dn) is shown until the manifest arrives: an ESC there is escaped too.
        String link = "magnet:?xt=urn:kadshare:" + "7".repeat(64) + "&dn=%1B%5B2Jgone.bin&xl=10";
        CliRun detached = CliRun.of("get", "--data-dir", b.toString(), link, "--out", dir.resolve("out").toString(), "--detach");
        assertEquals(0, detached.exitCode(), detached.toString());
        assertNothingRaw(detached);
        assertTrue(detached.out().contains("\\e[2Jgone.bin"), detached.out());

        CliRun status = CliRun.of("status", "--data-dir", b.toString());
        assertNothingRaw(status);
        assertTrue(status.out().contains(shown) && status.out().contains("\\e[2Jgone.bin"), status.out());
        CliRun peers = CliRun.of("peers", "--data-dir", b.toString());
        assertNothingRaw(peers);
    }
}
