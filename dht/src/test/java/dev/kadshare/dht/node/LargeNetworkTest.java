package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.routing.Contact;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hundreds of nodes in virtual time: findability at scale, under churn, across expiry and on join. */
class LargeNetworkTest {
    private static InetSocketAddress peerOf(DhtNode announcer, int port) {
        return new InetSocketAddress(announcer.localAddress().getAddress(), port);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> strings(List<byte[]> values) {
        return values.stream().map(v -> new String(v, StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }

    @Test
    void everyNodeFindsEveryAnnouncedKeyAndRecordAmong200() {
        SimulatedDht sim = new SimulatedDht(1);
        sim.grow(200);
        Map<NodeId, InetSocketAddress> announced = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            NodeId key = NodeId.random(sim.random);
            DhtNode announcer = sim.randomAlive();
            assertTrue(sim.await(announcer.announce(key, 6000 + i)) >= 10);
            announced.put(key, peerOf(announcer, 6000 + i));
        }
        NodeId recordKey = NodeId.random(sim.random);
        assertTrue(sim.await(sim.randomAlive().put(recordKey, bytes("alpha"))) >= 10);
        assertTrue(sim.await(sim.randomAlive().put(recordKey, bytes("beta"))) >= 10);

        for (DhtNode node : sim.alive) {
            announced.forEach((key, peer) ->
                    assertTrue(sim.await(node.findPeers(key)).contains(peer), node.id() + " missed " + key));
            assertEquals(Set.of("alpha", "beta"), strings(sim.await(node.get(recordKey))), node.id().toString());
        }
        assertEquals(0, sim.sum("rpc.timeout.GetPeers"), "nobody left, so nothing times out");
        assertTrue(sim.sum("lookup.count") >= 200 * 10);
        assertTrue(sim.sum("lookup.hops.total") > 0 && sim.sum("lookup.rpcs.total") > sim.sum("lookup.count"));
    }

    @Test
    void lookupsSucceedWhileAThirdOfTheNodesLeaveAndNewOnesJoin() {
        SimulatedDht sim = new SimulatedDht(2);
        sim.grow(200);
        List<DhtNode> owners = new ArrayList<>();
        Map<NodeId, InetSocketAddress> announced = new HashMap<>();
        Map<NodeId, String> recorded = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            DhtNode owner = sim.alive.get(i * 10);
            owners.add(owner);
            NodeId key = NodeId.random(sim.random);
            sim.await(owner.announce(key, 7000 + i));
            announced.put(key, peerOf(owner, 7000 + i));
            if (i % 2 == 0) {
                NodeId recordKey = NodeId.random(sim.random);
                sim.await(owner.put(recordKey, bytes("record " + i)));
                recorded.put(recordKey, "record " + i);
            }
        }
        List<NodeId> keys = new ArrayList<>(announced.keySet());
        List<NodeId> recordKeys = new ArrayList<>(recorded.keySet());
        int lookups = 0;
        int found = 0;
        // Six rounds of 5 minutes: 10 of the original nodes leave and 10 new ones join each round, so 30%
        // are gone by the end, and the 40 virtual minutes outlast the 30-minute TTL (renewals must work).
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 10; i++) {
                sim.leave(sim.randomAliveExcept(owners));
            }
            for (int i = 0; i < 10; i++) {
                sim.join();
            }
            for (int i = 0; i < 40; i++) {
                NodeId key = keys.get(sim.random.nextInt(keys.size()));
                lookups++;
                if (sim.await(sim.randomAlive().findPeers(key)).contains(announced.get(key))) {
                    found++;
                }
            }
            for (int i = 0; i < 10; i++) {
                NodeId key = recordKeys.get(sim.random.nextInt(recordKeys.size()));
                lookups++;
                if (strings(sim.await(sim.randomAlive().get(key))).contains(recorded.get(key))) {
                    found++;
                }
            }
            sim.runFor(Duration.ofMinutes(5));
        }
        sim.runFor(Duration.ofMinutes(10));
        for (NodeId key : keys) {
            lookups++;
            if (sim.await(sim.randomAlive().findPeers(key)).contains(announced.get(key))) {
                found++;
            }
        }
        double rate = (double) found / lookups;
        System.out.printf("churn: %d/%d lookups succeeded (%.2f%%), evicted %d, refreshes %d, republished %d%n",
                found, lookups, 100 * rate, sim.sum("routing.evicted"), sim.sum("routing.refreshes"),
                sim.sum("store.republished"));
        assertTrue(rate >= 0.99, found + "/" + lookups);
        assertTrue(sim.sum("rpc.timeout.FindNode") + sim.sum("rpc.timeout.GetPeers") > 0, "departed nodes were queried");
        assertTrue(sim.sum("store.republished") > 0);
    }

    @Test
    void announcementsLiveWhileRenewedAndExpireWhenTheAnnouncerIsGone() {
        SimulatedDht sim = new SimulatedDht(3);
        sim.grow(30);
        DhtNode announcer = sim.alive.get(7);
        NodeId key = NodeId.random(sim.random);
        sim.await(announcer.announce(key, 6881));
        sim.runFor(Duration.ofHours(2)); // four TTLs
        DhtNode asker = sim.alive.get(20);
        assertTrue(sim.await(asker.findPeers(key)).contains(peerOf(announcer, 6881)), "renewed by the announcer");

        sim.leave(announcer);
        sim.runFor(Duration.ofMinutes(32)); // TTL plus a purge period
        assertEquals(Set.of(), sim.await(asker.findPeers(key)), "expired everywhere");
        assertEquals(0, sim.sum("store.peers"));
    }

    @Test
    void withdrawnRecordsAreNoLongerRenewedAndExpire() {
        SimulatedDht sim = new SimulatedDht(6);
        sim.grow(30);
        DhtNode writer = sim.alive.get(3);
        NodeId kept = NodeId.random(sim.random);
        NodeId withdrawn = NodeId.random(sim.random);
        sim.await(writer.put(kept, bytes("kept")));
        sim.await(writer.put(withdrawn, bytes("withdrawn")));
        writer.withdraw(withdrawn);
        sim.runFor(Duration.ofMinutes(45));
        DhtNode reader = sim.alive.get(25);
        assertEquals(Set.of("kept"), strings(sim.await(reader.get(kept))));
        assertEquals(Set.of(), strings(sim.await(reader.get(withdrawn))));
        assertEquals(Set.of(), strings(sim.await(writer.get(withdrawn))));
    }

    @Test
    void moreRecordsThanOneReplyHoldsArriveInPagesAndAKeyKeepsItsBound() {
        SimulatedDht sim = new SimulatedDht(5);
        sim.grow(30);
        NodeId key = NodeId.random(sim.random);
        for (int i = 0; i < 25; i++) {
            // 100 bytes of value each, signed: a reply holds 5 of them, the store keeps 20 per key; seven writers, as
            // one source keeps at most 4 under a key.
            DhtNode writer = sim.alive.get(4 + i % 7);
            sim.await(writer.put(key, bytes(String.format("%-100s", "value " + i))));
        }
        Set<String> found = strings(sim.await(sim.alive.get(17).get(key)));
        // Each holder keeps 20 (which ones may differ a little between holders: the pages of three are read).
        assertTrue(found.size() >= 20, found.size() + " found");
        assertTrue(found.contains(String.format("%-100s", "value " + 24)), "the newest is kept");
        assertTrue(sim.alive.stream().allMatch(n -> n.status().counter("store.records") <= 20));
    }

    @Test
    void aRestartedNodeRejoinsFromItsSavedContactsAlone() {
        SimulatedDht sim = new SimulatedDht(7);
        sim.grow(60);
        DhtNode before = sim.alive.get(10);
        List<Contact> saved = before.contacts();
        sim.leave(before);
        NodeId key = NodeId.random(sim.random);
        DhtNode announcer = sim.alive.get(3);
        sim.await(announcer.announce(key, 6881));

        DhtNode restarted = sim.spawn(before.id());
        int size = sim.await(restarted.rejoin(saved));
        assertTrue(size >= 20, "table of " + size);
        assertTrue(sim.await(restarted.findPeers(key)).contains(peerOf(announcer, 6881)));
        assertTrue(restarted.status().counter("rpc.sent.Ping") >= Math.min(saved.size(), DhtNode.MAX_REJOIN_CONTACTS),
                "every saved contact pinged");
    }

    @Test
    void aNodeJoiningCloserToAKeyReceivesItsRecords() {
        // Ids placed by hand: nobody checks them.
        SimulatedDht sim = new SimulatedDht(4).idBinding(IdBinding.NOT_CHECKED);
        sim.grow(40);
        NodeId key = NodeId.random(sim.random);
        sim.await(sim.alive.get(3).put(key, bytes("kept")));
        // Its id is the key itself: closer to it than any node that holds the record.
        DhtNode newcomer = sim.join(sim.spawn(key));
        sim.runFor(Duration.ofSeconds(30));
        assertTrue(newcomer.status().counter("store.records") >= 1, newcomer.status().toString());
        assertTrue(sim.sum("store.replicated.keys") >= 1);
    }
}
