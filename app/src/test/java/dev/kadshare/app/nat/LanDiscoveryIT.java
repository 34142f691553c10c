package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Case 4 of issue 15: two daemons on one LAN segment, neither given a bootstrap, find each other by LAN discovery
 * (multicast on the segment's bridge) and the get completes between them; a third with {@code --no-lan-discovery}
 * on the same segment sends nothing and is never heard.
 */
class LanDiscoveryIT extends NamespaceCase {
    @Test
    void twoNodesOnOneLanFindEachOtherWithoutBootstrapAndShare() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("holiday.bin"), 2 * 1024 * 1024 + 5, 41);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open()) {
            NetLab.Segment lan = lab.segment("home", "10.78.0.0/24");
            NetLab.Host laptop = lab.host("laptop", lan, "10.78.0.11");
            NetLab.Host desktop = lab.host("desktop", lan, "10.78.0.12");
            NetLab.Host quiet = lab.host("quiet", lan, "10.78.0.13");
            try (Kadshare.Daemon silent = Kadshare.Daemon.startIn(quiet, dir.resolve("quiet"), "--no-lan-discovery");
                 Kadshare.Daemon sharer = Kadshare.Daemon.startIn(laptop, dir.resolve("laptop"));
                 Kadshare.Daemon getter = Kadshare.Daemon.startIn(desktop, dir.resolve("desktop"))) {
                Kadshare.Result share = sharer.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());

                await().atMost(Duration.ofSeconds(60)).until(() ->
                        lanPeers(getter).size() == 1 && lanPeers(sharer).size() == 1
                                && getter.status(dir).path("routingTableSize").asInt() > 0
                                && sharer.status(dir).path("routingTableSize").asInt() > 0);
                JsonNode heard = lanPeers(getter).get(0);
                assertEquals(sharer.status(dir).path("nodeId").asText(), heard.path("nodeId").asText());
                assertEquals("10.78.0.11:" + Kadshare.Daemon.NAMESPACE_PORT, heard.path("address").asText());
                assertEquals("eth0", heard.path("interfaceName").asText());

                Kadshare.Result get = getter.cli(dir, "get", share.lastLine(), "--out", out.toString());

                assertEquals(0, get.exitCode(), get + "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output());
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("holiday.bin")));
                JsonNode silentStatus = silent.status(dir);
                assertFalse(silentStatus.path("lan").path("enabled").asBoolean());
                assertEquals(0, silentStatus.path("routingTableSize").asInt(), "nobody found the quiet node");
                assertTrue(lanPeers(getter).size() == 1 && lanPeers(sharer).size() == 1, "the quiet node was never heard");
                Kadshare.Result text = getter.cli(dir, "status");
                assertTrue(text.out().contains("1 node(s) heard") && text.out().contains("10.78.0.11"), text.out());
            }
        }
    }

    private JsonNode lanPeers(Kadshare.Daemon daemon) throws Exception {
        return daemon.status(dir).path("lan").path("peers");
    }
}
