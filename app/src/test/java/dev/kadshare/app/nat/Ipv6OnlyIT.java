package dev.kadshare.app.nat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.app.Kadshare;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.netns.NetLab;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Case 5 of issue 15: a segment with IPv6 addresses only ({@code fd77::/64}): a bootstrap daemon bound to its one
 * address, a sharer and a getter bound to {@code ::} (dual stack, with no IPv4 network to use) joining through
 * {@code --bootstrap [fd77::10]:7700}; the announcement, the lookup and the transfer all go over IPv6.
 */
class Ipv6OnlyIT extends NamespaceCase {
    @Test
    void bootstrapAnnounceAndGetOverIpv6() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files").resolve("v6.bin"), 3 * 1024 * 1024 + 3, 66);
        Path out = dir.resolve("out");
        try (NetLab lab = NetLab.open()) {
            NetLab.Segment v6 = lab.segment("v6", "fd77::/64");
            NetLab.Host seedHost = lab.host("seed6", v6, "fd77::10");
            NetLab.Host sharerHost = lab.host("sharer6", v6, "fd77::11");
            NetLab.Host getterHost = lab.host("getter6", v6, "fd77::12");
            String seed = seedHost.endpoint(Kadshare.Daemon.NAMESPACE_PORT);
            assertEquals("[fd77::10]:7700", seed);
            try (Kadshare.Daemon bootstrap = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"));
                 Kadshare.Daemon sharer = Kadshare.Daemon.startIn(sharerHost, "::", dir.resolve("sharer"), "--bootstrap", seed);
                 Kadshare.Daemon getter = Kadshare.Daemon.startIn(getterHost, "::", dir.resolve("getter"), "--bootstrap", seed)) {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        ipv6Contacts(getter) > 0 && ipv6Contacts(sharer) > 0
                                && bootstrap.status(dir).path("routingTableSize").asInt() >= 2);
                Kadshare.Result share = sharer.cli(dir, "share", file.toString());
                assertEquals(0, share.exitCode(), share.toString());

                Kadshare.Result get = getter.cli(dir, "get", share.lastLine(), "--out", out.toString());

                assertEquals(0, get.exitCode(), get + "\nsharer:\n" + sharer.output() + "\ngetter:\n" + getter.output());
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("v6.bin")));
                JsonNode transfer = getter.status(dir).path("transfers").get(0);
                assertEquals("COMPLETE", transfer.path("state").asText());
                JsonNode peer = transfer.path("peers").get(0);
                assertEquals("[" + InetAddress.getByName("fd77::11").getHostAddress() + "]:7700", peer.path("address").asText(),
                        transfer.toString());
                assertTrue(peer.path("bytesDownloaded").asLong() > 0, transfer.toString());
                assertEquals(0, getter.status(dir).path("dht").path("routing.size.ipv4").asInt(), "no IPv4 network here");
            }
        }
    }

    private int ipv6Contacts(Kadshare.Daemon daemon) throws Exception {
        return daemon.status(dir).path("dht").path("routing.size.ipv6").asInt();
    }
}
