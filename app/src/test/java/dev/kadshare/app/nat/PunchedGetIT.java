package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 2 of the NAT cases: sharer and getter each at home behind a port-preserving NAT that drops unsolicited
 * inbound; the get completes over a connection punched through both, which the transfer's status says.
 */
class PunchedGetIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNamespaces() {
        assumeTrue(NetLab.unavailable().isEmpty(), () -> "skipped: " + NetLab.unavailable().orElseThrow());
    }

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
            try (Kadshare.Daemon bootstrap = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"));
                 Kadshare.Daemon sharer = Kadshare.Daemon.startIn(sharerHost, dir.resolve("sharer"), "--bootstrap", seed);
                 Kadshare.Daemon getter = Kadshare.Daemon.startIn(getterHost, dir.resolve("getter"), "--bootstrap", seed)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> getter.status(dir).path("routingTableSize").asInt() > 0
                                && sharer.status(dir).path("routingTableSize").asInt() > 0);
                Kadshare.Result share = sharer.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());

                Kadshare.Result get = getter.cli(dir, "get", share.lastLine(), "--out", out.toString());

                String logs = "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output();
                assertEquals(0, get.exitCode(), get + logs);
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("home.bin")));
                JsonNode peer = getter.status(dir).path("transfers").get(0).path("peers").get(0);
                assertEquals("10.77.0.1:" + Kadshare.Daemon.NAMESPACE_PORT, peer.path("address").asText(),
                        "the sharer's router, where the sharer announced from" + logs);
                assertEquals("direct, punched", peer.path("connection").asText(), peer + logs);
                JsonNode seedReach = bootstrap.status(dir).path("reachability");
                assertEquals("OPEN", seedReach.path("mapping").asText(),
                        "the seed's observers (both routers) see the address it bound: " + seedReach);
            }
        }
    }
}
