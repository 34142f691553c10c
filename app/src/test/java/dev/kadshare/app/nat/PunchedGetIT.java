package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Case 2 of the NAT cases: sharer and getter each at home behind a port-preserving NAT that drops unsolicited
 * inbound; the get completes over a connection punched through both, which the transfer's status says.
 */
class PunchedGetIT extends NamespaceCase {
    @Test
    void bothAtHomeBehindPortPreservingNats() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("home.bin"), 3 * 1024 * 1024 + 5, 25);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open()) {
            Internet internet = new Internet(lab);
            NetLab.Host seedHost = internet.publicHost("seed");
            NetLab.Host sharerHost = internet.home("sharer", NetLab.Nat.PORT_PRESERVING);
            NetLab.Host getterHost = internet.home("getter", NetLab.Nat.PORT_PRESERVING);
            String seed = seedHost.endpoint(Kadshare.Daemon.NAMESPACE_PORT);
            try (Kadshare.Daemon bootstrap = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"), "--log-level", "debug");
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
                    // A dial that times out (the first SYN dropped: 10 s), the introduction, then the punched connection.
                    await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1)).until(() ->
                            "COMPLETE".equals(getter.status(dir).path("transfers").get(0).path("state").asText()));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no punched get: " + getter.status(dir) + "\nseed:\n" + bootstrap.output()
                            + "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output(), e);
                }
                String logs = "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output();
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("home.bin")));
                // The sharer's router, where the sharer announced from (the sharer itself also answers with its own
                // LAN address, which nobody outside can dial).
                String sharerRouter = "10.77.1.1:" + Kadshare.Daemon.NAMESPACE_PORT;
                JsonNode peers = getter.status(dir).path("transfers").get(0).path("peers");
                JsonNode peer = java.util.stream.StreamSupport.stream(peers.spliterator(), false)
                        .filter(p -> sharerRouter.equals(p.path("address").asText())).findFirst()
                        .orElseThrow(() -> new AssertionError("no peer " + sharerRouter + " in " + peers + logs));
                assertEquals("direct, punched", peer.path("connection").asText(), peer + logs);
                assertEquals(file.toFile().length(), peer.path("bytesDownloaded").asLong(), "all of it came that way");
                JsonNode seedReach = bootstrap.status(dir).path("reachability");
                assertEquals("OPEN", seedReach.path("mapping").asText(),
                        "the seed's observers (both routers) see the address it bound: " + seedReach);
            }
        }
    }
}
