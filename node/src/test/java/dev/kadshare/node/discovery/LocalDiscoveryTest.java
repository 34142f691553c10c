package dev.kadshare.node.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalDiscoveryTest {
    static final NodeId SELF = NodeId.fromHex("01".repeat(32));
    static final NodeId OTHER = NodeId.fromHex("02".repeat(32));
    static final ContentId MOVIE = ContentId.fromHex("aa".repeat(32));
    static final Instant T0 = Instant.EPOCH.plusSeconds(1000);
    static final LanInterface ETH0 = new LanInterface("eth0", List.of(subnet("10.77.0.11", 24)));
    static final LanInterface WLAN0 = new LanInterface("wlan0", List.of(subnet("192.168.1.5", 24)));

    final LocalDiscovery discovery = new LocalDiscovery(SELF, 7700, 99);

    @Test
    void queriesEachInterfaceAtStartThenAnnouncesOncePerMinuteAtMost() {
        List<DiscoveryAction> start = discovery.handle(new DiscoveryEvent.InterfacesChanged(T0, List.of(ETH0, WLAN0)));
        List<DiscoveryAction.Send> sent = sends(start);
        assertEquals(List.of("eth0", "wlan0"), sent.stream().map(DiscoveryAction.Send::interfaceName).toList());
        sent.forEach(s -> assertEquals(LanPacket.Kind.QUERY, decode(s.packet()).kind()));
        assertEquals(new DiscoveryAction.WakeAt(T0.plus(LocalDiscovery.ANNOUNCE_INTERVAL)), start.get(start.size() - 1));

        assertTrue(sends(discovery.handle(new DiscoveryEvent.Tick(T0.plusSeconds(59)))).isEmpty());
        List<DiscoveryAction.Send> regular = sends(discovery.handle(new DiscoveryEvent.Tick(T0.plusSeconds(60))));
        assertEquals(2, regular.size());
        regular.forEach(s -> assertEquals(LanPacket.Kind.ANNOUNCE, decode(s.packet()).kind()));

        // An hour of ticks every second: one packet per interface per minute, never more.
        int packets = 0;
        for (int s = 61; s <= 3660; s++) {
            packets += sends(discovery.handle(new DiscoveryEvent.Tick(T0.plusSeconds(s)))).size();
        }
        assertEquals(2 * 60, packets);
    }

    @Test
    void aNewDownloadIsAnnouncedEarlyButNeverWithinTheMinimumGap() {
        discovery.handle(new DiscoveryEvent.InterfacesChanged(T0, List.of(ETH0)));
        List<DiscoveryAction> changed = discovery.handle(new DiscoveryEvent.FetchingChanged(T0.plusSeconds(3), List.of(MOVIE)));
        assertTrue(sends(changed).isEmpty(), "within 10 s of the query: waits");
        assertEquals(new DiscoveryAction.WakeAt(T0.plus(LocalDiscovery.MIN_GAP)), changed.get(changed.size() - 1));
        List<DiscoveryAction.Send> early = sends(discovery.handle(new DiscoveryEvent.Tick(T0.plus(LocalDiscovery.MIN_GAP))));
        assertEquals(1, early.size());
        assertEquals(List.of(MOVIE), decode(early.get(0).packet()).fetching());
        // The same list again, or a shorter one, is no new download: nothing early.
        assertTrue(sends(discovery.handle(new DiscoveryEvent.FetchingChanged(T0.plusSeconds(30), List.of()))).isEmpty());
        assertTrue(sends(discovery.handle(new DiscoveryEvent.Tick(T0.plusSeconds(40)))).isEmpty());
    }

    @Test
    void anotherNodesQueryIsAnsweredAndItIsFoundOnce() throws Exception {
        discovery.handle(new DiscoveryEvent.InterfacesChanged(T0, List.of(ETH0)));
        byte[] query = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.QUERY, 7, OTHER, 7701, List.of(MOVIE)));
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("10.77.0.12"), 40000);
        List<DiscoveryAction> heard = discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(20), from, query));
        DiscoveryAction.PeerFound found = (DiscoveryAction.PeerFound) heard.get(0);
        assertTrue(found.firstSeen());
        assertEquals(new InetSocketAddress(InetAddress.getByName("10.77.0.12"), 7701), found.peer().address());
        assertEquals(List.of(MOVIE), found.peer().fetching());
        assertEquals("eth0", found.peer().interfaceName());
        assertEquals(1, sends(heard).size(), "the query is answered at once (10 s since our last packet)");

        byte[] announce = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.ANNOUNCE, 7, OTHER, 7701, List.of()));
        List<DiscoveryAction> again = discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(25), from, announce));
        assertFalse(((DiscoveryAction.PeerFound) again.get(0)).firstSeen());
        assertTrue(sends(again).isEmpty(), "an announce asks for nothing");
        assertEquals(1, discovery.peers().size());

        // Not heard for three minutes: forgotten, and found anew afterwards.
        discovery.handle(new DiscoveryEvent.Tick(T0.plusSeconds(25).plus(LocalDiscovery.PEER_TTL)));
        assertTrue(discovery.peers().isEmpty());
        List<DiscoveryAction> back = discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(400), from, announce));
        assertTrue(((DiscoveryAction.PeerFound) back.get(0)).firstSeen());
    }

    @Test
    void ownPacketsOffSubnetSourcesAndGarbageAreDroppedAndCounted() throws Exception {
        discovery.handle(new DiscoveryEvent.InterfacesChanged(T0, List.of(ETH0)));
        byte[] own = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.ANNOUNCE, 99, SELF, 7700, List.of()));
        byte[] other = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.QUERY, 7, OTHER, 7701, List.of()));
        byte[] selfIdOtherCookie = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.ANNOUNCE, 8, SELF, 7700, List.of()));
        InetSocketAddress onLan = new InetSocketAddress(InetAddress.getByName("10.77.0.12"), 7771);
        InetSocketAddress offLan = new InetSocketAddress(InetAddress.getByName("10.78.0.12"), 7771);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("fd77::12"), 7771);
        List<DiscoveryAction> actions = new ArrayList<>();
        actions.addAll(discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(11), onLan, own)));
        actions.addAll(discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(12), offLan, other)));
        actions.addAll(discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(13), v6, other)));
        actions.addAll(discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(14), onLan, selfIdOtherCookie)));
        actions.addAll(discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(15), onLan, new byte[] {1, 2, 3})));
        assertTrue(actions.stream().allMatch(a -> a instanceof DiscoveryAction.WakeAt), actions.toString());
        assertEquals(1L, discovery.counters().get("own"));
        assertEquals(2L, discovery.counters().get("dropped.OFF_SUBNET"));
        assertEquals(1L, discovery.counters().get("dropped.SELF"));
        assertEquals(1L, discovery.counters().get("dropped.TOO_SHORT"));
        assertEquals(5L, discovery.counters().get("received"));
        assertTrue(discovery.peers().isEmpty());
    }

    @Test
    void rememberedNodesAreBounded() throws Exception {
        discovery.handle(new DiscoveryEvent.InterfacesChanged(T0, List.of(ETH0)));
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("10.77.0.12"), 7771);
        int found = 0;
        for (int i = 0; i < LocalDiscovery.MAX_PEERS + 10; i++) {
            byte[] id = new byte[32];
            id[0] = (byte) (i >> 8);
            id[1] = (byte) i;
            id[31] = 9;
            byte[] packet = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.ANNOUNCE, 1000 + i, NodeId.of(id), 7701, List.of()));
            found += (int) discovery.handle(new DiscoveryEvent.Received(T0.plusMillis(i), from, packet)).stream()
                    .filter(a -> a instanceof DiscoveryAction.PeerFound).count();
        }
        assertEquals(LocalDiscovery.MAX_PEERS, found);
        assertEquals(LocalDiscovery.MAX_PEERS, discovery.peers().size());
        assertEquals(10L, discovery.counters().get("dropped.PEERS_FULL"));
    }

    @Test
    void anInterfaceThatComesUpLaterGetsItsQueryAndOneThatGoesTakesItsNodes() throws Exception {
        discovery.handle(new DiscoveryEvent.InterfacesChanged(T0, List.of(ETH0)));
        byte[] announce = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.ANNOUNCE, 7, OTHER, 7701, List.of()));
        discovery.handle(new DiscoveryEvent.Received(T0.plusSeconds(1),
                new InetSocketAddress(InetAddress.getByName("10.77.0.12"), 7771), announce));
        List<DiscoveryAction.Send> sent = sends(discovery.handle(
                new DiscoveryEvent.InterfacesChanged(T0.plusSeconds(5), List.of(WLAN0))));
        assertEquals(List.of("wlan0"), sent.stream().map(DiscoveryAction.Send::interfaceName).toList());
        assertEquals(LanPacket.Kind.QUERY, decode(sent.get(0).packet()).kind());
        assertTrue(discovery.peers().isEmpty());
    }

    @Test
    void subnetsMatchByPrefix() {
        assertTrue(subnet("10.77.0.11", 24).contains(address("10.77.0.200")));
        assertFalse(subnet("10.77.0.11", 24).contains(address("10.77.1.1")));
        assertTrue(subnet("10.77.0.11", 20).contains(address("10.77.15.1")));
        assertFalse(subnet("10.77.0.11", 20).contains(address("10.77.16.1")));
        assertTrue(subnet("fd77::11", 64).contains(address("fd77::ffff:1")));
        assertFalse(subnet("fd77::11", 64).contains(address("fd78::1")));
        assertFalse(subnet("10.77.0.11", 0).contains(address("fd78::1")), "another family never matches");
    }

    static LanInterface.Subnet subnet(String ip, int prefix) {
        return new LanInterface.Subnet(address(ip), prefix);
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<DiscoveryAction.Send> sends(List<DiscoveryAction> actions) {
        return actions.stream().filter(a -> a instanceof DiscoveryAction.Send).map(a -> (DiscoveryAction.Send) a).toList();
    }

    static LanPacket decode(byte[] bytes) {
        return ((LanPacketCodec.Decoding.Ok) LanPacketCodec.decode(bytes)).packet();
    }

}
