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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two cloud VMs, each behind a one-to-one NAT that lets everything in (a public address mapped onto a private one),
 * beside two public nodes. Told its external address, a VM binds its DHT id there, finds itself publicly reachable,
 * is taken into the public nodes' routing tables, offers relaying and serves a get; told nothing, the same VM takes
 * the NAT for a home router's and nobody takes it in.
 */
class OneToOneNatIT extends NamespaceCase {
    @Test
    void aVmToldItsExternalAddressServesAsAPublicNode() throws Exception {
        try (NetLab lab = NetLab.open()) {
            List<Kadshare.Daemon> daemons = new ArrayList<>();
            try {
                run(lab, daemons);
            } finally {
                for (int i = daemons.size() - 1; i >= 0; i--) {
                    daemons.get(i).close(); // before the lab, which would kill them
                }
            }
        }
    }

    private void run(NetLab lab, List<Kadshare.Daemon> daemons) throws Exception {
        Internet internet = new Internet(lab);
        NetLab.Host seedHost = internet.publicHost("seed");
        NetLab.Host peerHost = internet.publicHost("peer");
        NetLab.Host toldHost = internet.cloudVm("told");
        NetLab.Host untoldHost = internet.cloudVm("untold");
        String seedAt = seedHost.endpoint(Kadshare.Daemon.NAMESPACE_PORT);
        Kadshare.Daemon seed = Kadshare.Daemon.startIn(seedHost, dir.resolve("seed"));
        daemons.add(seed);
        Kadshare.Daemon peer = Kadshare.Daemon.startIn(peerHost, dir.resolve("peer"), "--bootstrap", seedAt);
        daemons.add(peer);
        // The VMs learn how they are seen from two observers: the seed must name the peer to them when they join.
        await().atMost(Duration.ofSeconds(30)).until(() -> seed.status(dir).path("routingTableSize").asInt() >= 1);
        CompletableFuture<Kadshare.Daemon> told = HomeGet.startAsync(toldHost, dir.resolve("told"), "--bootstrap", seedAt,
                "--external-address", "10.77.1.1");
        CompletableFuture<Kadshare.Daemon> untold = HomeGet.startAsync(untoldHost, dir.resolve("untold"), "--bootstrap", seedAt);
        for (CompletableFuture<Kadshare.Daemon> d : List.of(told, untold)) {
            // each waited for in turn, so one that did start is closed even when another did not
            daemons.add(d.get(120, TimeUnit.SECONDS));
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode t = told.get().status(dir).path("reachability");
            assertEquals("OPEN", t.path("mapping").asText(), "told: " + t);
            assertEquals("10.77.1.1:" + Kadshare.Daemon.NAMESPACE_PORT, t.path("externalAddress").asText());
            JsonNode u = untold.get().status(dir).path("reachability");
            assertEquals("PORT_PRESERVING", u.path("mapping").asText(), "untold: " + u);
            // The seed holds the public peer and the told VM; the untold one's id is bound to its LAN address.
            JsonNode s = seed.status(dir);
            assertEquals(2, s.path("routingTableSize").asInt(), s.toString());
        });
        JsonNode seedDht = seed.status(dir).path("dht");
        assertTrue(seedDht.path("routing.refused.ID_NOT_BOUND").asLong()
                + seedDht.path("verify.skipped.ID_NOT_BOUND").asLong() > 0, seedDht.toString());
        assertTrue(told.get().status(dir).path("relay").path("offered").asBoolean(), "a public node relays");
        assertTrue(!untold.get().status(dir).path("relay").path("offered").asBoolean());

        Path file = RandomFiles.write(dir.resolve("files").resolve("vm.bin"), 1 << 20, 41);
        Kadshare.Result share = told.get().cli(dir, "share", file.toString());
        assertEquals(0, share.exitCode(), share.toString());
        Path out = dir.resolve("out");
        Kadshare.Result get = peer.cli(dir, "get", share.lastLine(), "--out", out.toString());
        assertEquals(0, get.exitCode(), get.toString());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("vm.bin")));
    }
}
