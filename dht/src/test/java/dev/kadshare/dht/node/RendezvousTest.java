package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.dht.wire.Introduce;
import dev.kadshare.dht.wire.MessageCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A getter behind a NAT asks the storers of a sharer's announcement to introduce it; the sharer, behind another NAT,
 * hears of it through the mapping it keeps open to them. Storers forward only to the endpoint that announced, and
 * only so often.
 */
class RendezvousTest {
    private static final int SHARER_TCP = 7000;
    private static final int GETTER_TCP = 7100;
    private final SimulatedDht net = new SimulatedDht(55);
    private final NodeId key = NodeId.random(net.random);
    private final List<Introduction> heard = new ArrayList<>();
    private DhtNode sharer;
    private DhtNode getter;
    private InetSocketAddress entry;

    @BeforeEach
    void twoHomesAndAPublicNetwork() throws UnknownHostException {
        net.grow(10);
        sharer = net.behind(new VirtualNat(net.network, InetAddress.getByName("198.51.100.1"), VirtualNat.Kind.PORT_PRESERVING));
        getter = net.behind(new VirtualNat(net.network, InetAddress.getByName("198.51.100.2"), VirtualNat.Kind.PORT_PRESERVING));
        for (DhtNode home : List.of(sharer, getter)) {
            net.await(home.bootstrap(List.of(net.alive.get(0).localAddress())));
        }
        sharer.onIntroduction(heard::add);
        assertTrue(net.await(sharer.announce(key, SHARER_TCP)) > 0);
        Set<InetSocketAddress> found = net.await(getter.findPeers(key));
        entry = new InetSocketAddress(InetAddress.getByName("198.51.100.1"), SHARER_TCP);
        assertTrue(found.contains(entry), "the storers hold the sharer's router address: " + found);
    }

    @Test
    void theSharerHearsOfTheGetterAtItsObservedAddress() throws UnknownHostException {
        int forwarded = net.await(getter.requestIntroduction(key, entry, GETTER_TCP)).size();

        assertTrue(forwarded >= 1 && forwarded <= DhtNode.MAX_INTRODUCERS, "forwarded by " + forwarded);
        assertEquals(forwarded, heard.size());
        Introduction first = heard.get(0);
        assertEquals(key, first.key());
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.2"), GETTER_TCP), first.getter(),
                "the getter's router IP as the storer saw it, with the TCP port it gave");
    }

    @Test
    void aStorerForwardsOnlyToAnEndpointThatAnnouncedToIt() throws UnknownHostException {
        InetSocketAddress stranger = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 80);
        // Nobody stores the stranger: no storer is found, none is asked.
        assertEquals(List.of(), net.await(getter.requestIntroduction(key, stranger, GETTER_TCP)));
        // Asked directly anyway, a storer refuses and counts it.
        DhtNode storer = net.alive.stream().filter(n -> n.status().counter("store.peers") > 0).findFirst().orElseThrow();
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("203.0.113.66"), 4000);
        storer.onDatagram(from, request(new dev.kadshare.dht.wire.ConnectRequest(1, NodeId.random(net.random),
                key, stranger, 80)));
        net.runFor(Duration.ofSeconds(3));
        assertEquals(1, storer.status().counter("dropped.CONNECT_UNKNOWN_PEER"));
        assertTrue(heard.isEmpty());
    }

    @Test
    void requestsBeyondTheRateAreDropped() {
        DhtNode storer = net.alive.stream().filter(n -> n.status().counter("store.peers") > 0).findFirst().orElseThrow();
        InetSocketAddress from = new InetSocketAddress(getter.localAddress().getAddress(), 4000);
        for (int i = 0; i < 20; i++) {
            storer.onDatagram(from, request(new dev.kadshare.dht.wire.ConnectRequest(100 + i, getter.id(), key, entry,
                    GETTER_TCP)));
        }
        net.runFor(Duration.ofSeconds(3));
        assertEquals((long) DhtNode.INTRODUCTION_BURST, storer.status().counter("rendezvous.forwarded"));
        assertEquals(20 - (long) DhtNode.INTRODUCTION_BURST, storer.status().counter("dropped.CONNECT_RATE_LIMITED"));
        assertTrue(heard.size() <= DhtNode.INTRODUCTION_BURST, "the sharer heard " + heard.size());
    }

    @Test
    void onlyAHolderOfOurAnnouncementMayIntroduce() throws UnknownHostException {
        InetSocketAddress stranger = new InetSocketAddress(InetAddress.getByName("203.0.113.66"), 4000);
        sharer.onDatagram(stranger, request(new Introduce(5, NodeId.random(net.random), key,
                new InetSocketAddress(InetAddress.getByName("203.0.113.80"), 443))));
        assertEquals(1, sharer.status().counter("dropped.INTRODUCE_UNASKED"));
        assertTrue(heard.isEmpty(), "a stranger cannot make the sharer dial anyone");
    }

    @Test
    void theSharerItselfAnswersWithItsExternalAddressNotItsLanOne() {
        assertEquals(dev.kadshare.dht.reach.Mapping.PORT_PRESERVING, sharer.status().reachability().mapping());
        Set<InetSocketAddress> found = net.await(sharer.findPeers(key));
        assertTrue(found.contains(entry), found.toString());
        assertTrue(!found.contains(new InetSocketAddress(sharer.localAddress().getAddress(), SHARER_TCP)),
                "its LAN address is no use outside: " + found);
    }

    @Test
    void aNattedSharerKeepsItsMappingsToTheHoldersAlive() {
        long before = sharer.status().counter("rendezvous.keepalive");
        net.runFor(DhtNode.KEEPALIVE_INTERVAL.multipliedBy(3));
        assertTrue(sharer.status().counter("rendezvous.keepalive") >= before + 3, "pings to its holders");
        assertEquals(0, net.alive.get(0).status().counter("rendezvous.keepalive"), "a public node announcing nothing pings none");
    }

    /** {@code message} as a datagram from a stranger with a key of its own. */
    private byte[] request(Request message) {
        return Envelope.request(DhtKey.generate(net.random).publicKey(), new MessageCodec().encode(message));
    }
}
