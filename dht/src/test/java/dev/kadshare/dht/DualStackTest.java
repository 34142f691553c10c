package dev.kadshare.dht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.testkit.Ipv6Loopback;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IPv6 and dual stack over real UDP on loopback (127.0.0.1 and ::1): a node bound to {@code ::} keeps a routing
 * table per family (BEP 32) and announces and looks up in both; nodes of one family only never learn of the other's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DualStackTest {
    private final SplittableRandom random = new SplittableRandom(11);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Dht> opened = new ArrayList<>();

    @BeforeAll
    static void needsIpv6Loopback() {
        boolean ipv6 = Ipv6Loopback.available();
        assumeTrue(ipv6, "skipped: this host has no IPv6 loopback (::1)");
    }

    @AfterEach
    void tearDown() {
        opened.forEach(Dht::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Dht open(String host) throws Exception {
        InetSocketAddress bind = new InetSocketAddress(host, 0);
        Dht dht = Dht.open(DhtConfig.builder(DhtKey.generate(random), bind.getAddress()).bindAddress(bind).build(), group);
        opened.add(dht);
        return dht;
    }

    @Test
    void aDualStackNodeKeepsOneTablePerFamilyAndAnnouncesAndLooksUpInBoth() throws Exception {
        Dht dual = open("::");
        Dht v4 = open("127.0.0.1");
        Dht v6 = open("::1");
        int port = dual.localAddress().getPort();
        assertTrue(v4.bootstrap(List.of(new InetSocketAddress("127.0.0.1", port))).get(10, TimeUnit.SECONDS) >= 1);
        assertTrue(v6.bootstrap(List.of(new InetSocketAddress("::1", port))).get(10, TimeUnit.SECONDS) >= 1);

        // The dual node checks each newcomer with a PING once its FIND_NODE came in (its bootstrap PING leaves no room
        // for one): the answer may land after the bootstrap completed.
        await().atMost(Duration.ofSeconds(10)).until(() -> dual.status().routingTableSize() == 2);
        DhtStatus status = dual.status();
        assertEquals(1L, status.counter("routing.size.ipv4"), status.toString());
        assertEquals(1L, status.counter("routing.size.ipv6"), status.toString());
        // Each single-family node learnt only the dual node: the other family's contacts are never handed to it.
        assertEquals(1, v4.status().routingTableSize());
        assertEquals(1, v6.status().routingTableSize());

        // The dual node announces in both families: each single-family node finds it at the address of its own family.
        NodeId shared = NodeId.random(random);
        assertEquals(2, dual.announce(shared, 7700).get(10, TimeUnit.SECONDS));
        // (A wildcard-bound node also keeps its own entry at 127.0.0.1 in its store, which it hands out as well.)
        assertTrue(v4.findPeers(shared).get(10, TimeUnit.SECONDS).contains(new InetSocketAddress("127.0.0.1", 7700)));
        assertTrue(v6.findPeers(shared).get(10, TimeUnit.SECONDS).contains(new InetSocketAddress("::1", 7700)));

        // And it looks up in both: announcements made over IPv4 and over IPv6 are found by one lookup.
        NodeId wanted = NodeId.random(random);
        v4.announce(wanted, 7701).get(10, TimeUnit.SECONDS);
        v6.announce(wanted, 7702).get(10, TimeUnit.SECONDS);
        LookupResult found = dual.lookupPeers(wanted).get(10, TimeUnit.SECONDS);
        assertTrue(found.peers().contains(new InetSocketAddress("127.0.0.1", 7701)), found.toString());
        assertTrue(found.peers().contains(new InetSocketAddress("::1", 7702)), found.toString());

        // Records too: a put through the dual node reaches both families.
        NodeId key = NodeId.random(random);
        assertEquals(2, dual.put(key, "both".getBytes()).get(10, TimeUnit.SECONDS));
        assertEquals("both", new String(v4.get(key).get(10, TimeUnit.SECONDS).get(0)));
        assertEquals("both", new String(v6.get(key).get(10, TimeUnit.SECONDS).get(0)));
        assertEquals(1, dual.get(key).get(10, TimeUnit.SECONDS).size(), "one value, though both families hold it");
    }

    @Test
    void anIpv6OnlyNodeBootstrapsThroughABracketedSeedAndAnswersWithIpv6Contacts() throws Exception {
        Dht seed = open("::1");
        Dht a = open("::1");
        Dht b = open("::1");
        a.bootstrap(List.of(seed.localAddress())).get(10, TimeUnit.SECONDS);
        assertTrue(b.bootstrap(List.of(seed.localAddress())).get(10, TimeUnit.SECONDS) >= 2, "found a through the seed");
        NodeId key = NodeId.random(random);
        a.announce(key, 7700).get(10, TimeUnit.SECONDS);
        Set<InetSocketAddress> peers = b.findPeers(key).get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(new InetSocketAddress("::1", 7700)), peers);
        assertTrue(peers.iterator().next().getAddress() instanceof Inet6Address);
        assertFalse(seed.status().counters().containsKey("routing.size.ipv4"), "one family: no per-family gauges");
        assertTrue(seed.localAddress().getAddress() instanceof Inet6Address);
        assertFalse(seed.localAddress().getAddress() instanceof Inet4Address);
    }
}
