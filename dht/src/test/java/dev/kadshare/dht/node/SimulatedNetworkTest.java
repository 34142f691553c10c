package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.LookupResult;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Many sans-I/O nodes wired by an in-memory network, all in one thread and in virtual time. */
class SimulatedNetworkTest {
    private static final int NODES = 80;
    private final SplittableRandom random = new SplittableRandom(2026);
    private final VirtualClock time = new VirtualClock();
    private final Scheduler timers = (delay, task) -> time.schedule(delay, task)::cancel;
    private final MemoryNetwork network = new MemoryNetwork(time, Duration.ofMillis(20));

    private DhtNode newNode(int i) throws Exception {
        return newNode(i, UnaryOperator.identity());
    }

    private DhtNode newNode(int i, UnaryOperator<DhtConfig.Builder> config) throws Exception {
        // Distinct IPs, as in a real network: tokens are bound to the requester's IP.
        InetSocketAddress address = new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 4000);
        DhtNode node = new DhtNode(config.apply(DhtConfig.builder(DhtKey.generate(random), address.getAddress())).build(),
                address, network.transportFor(address), timers, time, random.split());
        network.attach(node);
        return node;
    }

    private <T> T await(CompletableFuture<T> future) {
        assertTrue(time.runUntil(future::isDone, Duration.ofMinutes(10), 1_000_000));
        return future.join();
    }

    @Test
    void everyNodeFindsAnAnnouncedPeer() throws Exception {
        List<DhtNode> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(newNode(i + 1));
        }
        InetSocketAddress seed = nodes.get(0).localAddress();
        for (DhtNode node : nodes.subList(1, NODES)) {
            int size = await(node.bootstrap(List.of(seed)));
            assertTrue(size >= 1, () -> "table " + size + ", " + node.status() + " seed " + nodes.get(0).status());
        }
        assertTrue(nodes.get(0).status().routingTableSize() > 0, "the seed learns nodes that contacted it");

        NodeId key = NodeId.random(random);
        DhtNode announcer = nodes.get(NODES / 2);
        int accepted = await(announcer.announce(key, 6881));
        assertTrue(accepted >= 1, "accepted by " + accepted);
        InetSocketAddress expected = new InetSocketAddress(announcer.localAddress().getAddress(), 6881);

        for (DhtNode node : nodes) {
            Set<InetSocketAddress> peers = await(node.findPeers(key));
            assertTrue(peers.contains(expected), node.id() + " found " + peers);
        }
        long timeouts = nodes.stream().mapToLong(n -> n.status().counters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("rpc.timeout.")).mapToLong(e -> e.getValue()).sum()).sum();
        assertEquals(0, timeouts, "no node is down, so nothing should time out");
    }

    @Test
    void aLookupReturnsTheLinkKeyThePeerAnnounced() throws Exception {
        byte[] bytes = new byte[LinkKey.BYTES];
        random.nextBytes(bytes);
        LinkKey link = LinkKey.of(bytes);
        List<DhtNode> nodes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            nodes.add(i == 10 ? newNode(i + 1, b -> b.linkKey(link)) : newNode(i + 1));
        }
        for (DhtNode node : nodes.subList(1, nodes.size())) {
            await(node.bootstrap(List.of(nodes.get(0).localAddress())));
        }
        NodeId key = NodeId.random(random);
        DhtNode announcer = nodes.get(10);
        assertTrue(await(announcer.announce(key, 6881)) >= 1);
        InetSocketAddress expected = new InetSocketAddress(announcer.localAddress().getAddress(), 6881);
        DhtNode keyless = nodes.get(3);
        assertTrue(await(keyless.announce(key, 6882)) >= 1);
        InetSocketAddress unkeyed = new InetSocketAddress(keyless.localAddress().getAddress(), 6882);

        LookupResult found = await(nodes.get(7).lookupPeers(key));
        assertTrue(found.peers().containsAll(List.of(expected, unkeyed)), found.toString());
        assertEquals(Optional.of(link), found.linkKeyOf(expected), "the key came back through the storers' answers");
        assertEquals(Optional.empty(), found.linkKeyOf(unkeyed), "a peer that announced no key has none");
    }

    @Test
    void lookupsSucceedAfterAQuarterOfTheNodesVanish() throws Exception {
        List<DhtNode> nodes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            nodes.add(newNode(i + 1));
        }
        for (DhtNode node : nodes.subList(1, nodes.size())) {
            await(node.bootstrap(List.of(nodes.get(0).localAddress())));
        }
        List<DhtNode> alive = new ArrayList<>(nodes);
        for (int i = 0; i < 15; i++) {
            DhtNode gone = alive.remove(1 + random.nextInt(alive.size() - 1)); // the seed stays
            network.detach(gone);
        }
        NodeId key = NodeId.random(random);
        DhtNode announcer = alive.get(alive.size() - 1);
        assertTrue(await(announcer.announce(key, 6881)) >= 1);
        InetSocketAddress expected = new InetSocketAddress(announcer.localAddress().getAddress(), 6881);
        for (DhtNode node : alive) {
            assertTrue(await(node.findPeers(key)).contains(expected), node.id() + " did not find the peer");
        }
        long timeouts = alive.stream().mapToLong(n -> n.status().counter("rpc.timeout.GetPeers")).sum();
        assertTrue(timeouts > 0, "dead contacts were queried and timed out");
    }

    @Test
    void bootstrapFailsWhenNoSeedAnswersAndRetriesLater() throws Exception {
        DhtNode lonely = newNode(1);
        InetSocketAddress absent = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 9, 9, 9}), 4000);
        CompletableFuture<Integer> first = lonely.bootstrap(List.of(absent));
        assertTrue(time.runUntil(first::isDone, Duration.ofMinutes(1), 10_000));
        assertTrue(first.isCompletedExceptionally());
        assertEquals(1, lonely.status().counter("rpc.timeout.Ping"));

        // The seed comes up later: the background retry finds it.
        DhtNode seed = new DhtNode(DhtConfig.defaults(DhtKey.generate(random), absent.getAddress()), absent,
                network.transportFor(absent), timers, time, random.split());
        network.attach(seed);
        assertTrue(time.runUntil(() -> lonely.status().routingTableSize() == 1, Duration.ofMinutes(1), 10_000));
    }

    @Test
    void announceWithoutValidTokenIsRefused() throws Exception {
        DhtNode a = newNode(1);
        DhtNode b = newNode(2);
        await(b.bootstrap(List.of(a.localAddress())));
        // b announces with a forged token through the real codec path.
        var codec = new dev.kadshare.dht.wire.MessageCodec();
        byte[] forged = Envelope.request(DhtKey.generate(random).publicKey(), codec.encode(new dev.kadshare.dht.wire.AnnouncePeer(
                1, b.id(), NodeId.random(random), 1234, dev.kadshare.dht.token.WriteToken.of(new byte[] {1, 2, 3}))));
        a.onDatagram(b.localAddress(), forged);
        assertEquals(1, a.status().counter("dropped.BAD_TOKEN"));
        a.onDatagram(b.localAddress(), Envelope.request(DhtKey.generate(random).publicKey(),
                new byte[] {dev.kadshare.dht.wire.MessageCodec.VERSION, 99}));
        assertEquals(1, a.status().counter("dropped.UNKNOWN_TYPE"));
    }

    @Test
    void withdrawalWithoutValidTokenIsRefusedAndTheEntryStays() throws Exception {
        DhtNode a = newNode(1);
        DhtNode b = newNode(2);
        await(b.bootstrap(List.of(a.localAddress())));
        NodeId key = NodeId.random(random);
        assertEquals(1, await(b.announce(key, 6881)));
        var codec = new dev.kadshare.dht.wire.MessageCodec();
        a.onDatagram(b.localAddress(), Envelope.request(DhtKey.generate(random).publicKey(), codec.encode(
                new dev.kadshare.dht.wire.WithdrawPeer(1, b.id(), key, 6881, dev.kadshare.dht.token.WriteToken.of(new byte[] {1, 2, 3})))));
        assertEquals(1, a.status().counter("dropped.BAD_TOKEN"));
        InetSocketAddress entry = new InetSocketAddress(b.localAddress().getAddress(), 6881);
        assertEquals(Set.of(entry), await(a.findPeers(key)), "a forged withdrawal leaves the entry");
        assertEquals(1, await(b.withdraw(key)));
        assertEquals(Set.of(), await(a.findPeers(key)), "the announcer's own withdrawal removes it");
    }
}
