package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Case 3 of the NAT cases: sharer and getter each at home behind a symmetric NAT (a random outside port per flow), so
 * neither can accept and punching fails; the get completes through the public bootstrap node as a relay, which the
 * transfer's status says, and the relay's byte cap per circuit holds: the first circuit is cut at it and the getter
 * goes on through a second one.
 */
class RelayedGetIT extends NamespaceCase {
    private static final int FILE_BYTES = 3 * 1024 * 1024 + 5;

    @Test
    void bothAtHomeBehindSymmetricNats() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("far.bin"), FILE_BYTES, 27);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open()) {
            Internet internet = new Internet(lab);
            NetLab.Host seedHost = internet.publicHost("seed");
            NetLab.Host sharerHost = internet.home("sharer", NetLab.Nat.SYMMETRIC);
            NetLab.Host getterHost = internet.home("getter", NetLab.Nat.SYMMETRIC);
            String seed = seedHost.endpoint(Kadshare.Daemon.NAMESPACE_PORT);
            try (Kadshare.Daemon bootstrap = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"),
                         "--relay-max-bytes-per-circuit", "2M", "--log-level", "debug");
                 Kadshare.Daemon sharer = Kadshare.Daemon.startIn(sharerHost, dir.resolve("sharer"), "--bootstrap", seed,
                         "--log-level", "debug");
                 Kadshare.Daemon getter = Kadshare.Daemon.startIn(getterHost, dir.resolve("getter"), "--bootstrap", seed,
                         "--log-level", "debug")) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> getter.status(dir).path("routingTableSize").asInt() > 0
                                && sharer.status(dir).path("routingTableSize").asInt() > 0);
                Kadshare.Result share = sharer.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());

                Kadshare.Result get = getter.cli(dir, "get", share.lastLine(), "--out", out.toString(), "--detach");
                assertEquals(0, get.exitCode(), get.toString());
                try {
                    // A dial that times out (10 s), the introduction, a punched dial that times out (10 s), the relay.
                    await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1)).until(() ->
                            "COMPLETE".equals(getter.status(dir).path("transfers").get(0).path("state").asText()));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no relayed get: " + getter.status(dir) + "\nseed:\n" + bootstrap.output()
                            + "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output(), e);
                }
                String logs = "\nseed:\n" + bootstrap.output() + "\nsharer:\n" + sharer.output() + "\ngetter:\n"
                        + getter.output();
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("far.bin")));
                String sharerRouter = "10.77.1.1:" + Kadshare.Daemon.NAMESPACE_PORT;
                JsonNode peers = getter.status(dir).path("transfers").get(0).path("peers");
                JsonNode peer = StreamSupport.stream(peers.spliterator(), false)
                        .filter(p -> sharerRouter.equals(p.path("address").asText())).findFirst()
                        .orElseThrow(() -> new AssertionError("no peer " + sharerRouter + " in " + peers + logs));
                assertEquals("relayed", peer.path("connection").asText(), peer + logs);
                assertEquals(FILE_BYTES, peer.path("bytesDownloaded").asLong(), "all of it came that way");

                JsonNode relay = bootstrap.status(dir).path("relay");
                assertTrue(relay.path("offered").asBoolean(), "the seed is publicly reachable: " + relay);
                assertEquals(1, relay.path("cutAtByteCap").asLong(),
                        "the first circuit was cut at 2 MiB, the second carried the rest: " + relay + logs);
                assertEquals(2, relay.path("circuitsOpened").asLong(), relay + logs);
                JsonNode sharerRelay = sharer.status(dir).path("relay");
                assertEquals(2, sharerRelay.path("circuitsToUs").asLong(), sharerRelay.toString());
                // The sharer's side says how the getter came: through the relay, from the relay's address.
                Kadshare.Result sharerPeers = sharer.cli(dir, "peers", "--json");
                assertTrue(java.util.regex.Pattern.compile("\"connection\"\\s*:\\s*\"relayed\"")
                        .matcher(sharerPeers.out()).find(), sharerPeers.toString());
            }
        }
    }
}
