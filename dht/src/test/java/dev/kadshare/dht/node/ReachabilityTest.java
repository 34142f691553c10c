package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.reach.Mapping;
import dev.kadshare.dht.reach.Reachability;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Nodes learn their mapping from the addresses responders observe, on a virtual network with NAT routers. */
class ReachabilityTest {
    private final SimulatedDht net = new SimulatedDht(15);

    @Test
    void publicNodesAreOpenAndNattedNodesSeeTheirRoutersMapping() throws UnknownHostException {
        net.grow(8);
        DhtNode preserving = net.behind(new VirtualNat(net.network, ip("198.51.100.1"), VirtualNat.Kind.PORT_PRESERVING));
        DhtNode symmetric = net.behind(new VirtualNat(net.network, ip("198.51.100.2"), VirtualNat.Kind.SYMMETRIC));
        for (DhtNode home : List.of(preserving, symmetric)) {
            net.await(home.bootstrap(List.of(net.alive.get(0).localAddress())));
        }

        for (DhtNode open : net.alive.subList(0, 8)) {
            Reachability r = open.status().reachability();
            assertEquals(Mapping.OPEN, r.mapping(), () -> open.localAddress() + ": " + r);
            assertEquals(Optional.of(open.localAddress().getAddress()), r.externalIp());
        }
        Reachability p = preserving.status().reachability();
        assertEquals(Mapping.PORT_PRESERVING, p.mapping(), p::toString);
        assertEquals(Optional.of("198.51.100.1:4000"), p.externalAddress(), "the router's IP, our own port");
        assertTrue(p.observers() >= 3, p::toString);
        Reachability s = symmetric.status().reachability();
        assertEquals(Mapping.SYMMETRIC, s.mapping(), s::toString);
        assertEquals(Optional.of(ip("198.51.100.2")), s.externalIp());
        assertEquals(OptionalInt.empty(), s.externalPort(), "a port per destination: none to name");
    }

    @Test
    void withIdsBoundANodeBehindANatIsAnsweredButNeverTakenIn() throws UnknownHostException {
        net.grow(8);
        // Its id is bound to its LAN address; the open nodes see it at its router's.
        DhtNode home = net.behind(new VirtualNat(net.network, ip("198.51.100.1"), VirtualNat.Kind.PORT_PRESERVING));
        net.await(home.bootstrap(List.of(net.alive.get(0).localAddress())));
        assertTrue(home.status().routingTableSize() >= 7, "it looks others up: " + home.status());
        assertEquals(0, holdersOf(home), "nobody takes it in");
        assertTrue(net.sum("routing.refused.ID_NOT_BOUND") + net.sum("verify.skipped.ID_NOT_BOUND") > 0,
                "its answers were refused a place, or it was not even checked");
    }

    /** Ids not checked (a network where a node behind a NAT could have an id others take): it stops answering. */
    @Test
    void aNodeBehindANatIsReadOnlyOnceItKnows() throws UnknownHostException {
        SimulatedDht net = this.net.idBinding(IdBinding.NOT_CHECKED);
        net.grow(8);
        DhtNode home = net.behind(new VirtualNat(net.network, ip("198.51.100.1"), VirtualNat.Kind.PORT_PRESERVING));
        net.await(home.bootstrap(List.of(net.alive.get(0).localAddress())));
        assertEquals(Mapping.PORT_PRESERVING, home.status().reachability().mapping());
        // The nodes that heard it answer before it knew its mapping took it in; they name it to the others now.
        long before = holdersOf(home);
        for (DhtNode open : net.alive.subList(0, 8)) {
            net.await(open.findNode(home.id()));
        }
        net.runFor(Duration.ofMinutes(1));

        assertTrue(before < 8, "some never heard of it: " + before);
        assertTrue(holdersOf(home) <= before, "nobody takes a read-only node in: " + holdersOf(home) + " > " + before);
        assertTrue(home.status().routingTableSize() >= 7, "it still looks others up: " + home.status());
        assertTrue(home.status().counters().getOrDefault("dropped.READ_ONLY", 0L) > 0, home.status()::toString);
    }

    @Test
    void aNodeBehindAOneToOneNatIsOpenAndTakenInOnceToldItsExternalAddress() throws UnknownHostException {
        net.grow(8);
        DhtNode told = net.behind(new VirtualNat(net.network, ip("198.51.100.3"), VirtualNat.Kind.ONE_TO_ONE),
                Optional.of(ip("198.51.100.3")));
        DhtNode untold = net.behind(new VirtualNat(net.network, ip("198.51.100.4"), VirtualNat.Kind.ONE_TO_ONE),
                Optional.empty());
        for (DhtNode vm : List.of(told, untold)) {
            net.await(vm.bootstrap(List.of(net.alive.get(0).localAddress())));
        }
        net.runFor(Duration.ofMinutes(1));

        Reachability t = told.status().reachability();
        assertEquals(Mapping.OPEN, t.mapping(), t::toString);
        assertEquals(Optional.of(ip("198.51.100.3")), t.externalIp());
        assertTrue(holdersOf(told) > 0, "its id is bound to where others see it: taken in");
        // Told nothing, the same VM binds its id to its private address and takes the NAT for a home router's.
        Reachability u = untold.status().reachability();
        assertEquals(Mapping.PORT_PRESERVING, u.mapping(), u::toString);
        assertEquals(0, holdersOf(untold));
    }

    private long holdersOf(DhtNode node) {
        return net.alive.subList(0, 8).stream()
                .filter(open -> open.contacts().stream().anyMatch(c -> c.id().equals(node.id()))).count();
    }

    @Test
    void aNodeThatHeardFromOneObserverDoesNotKnow() {
        DhtNode first = net.join();
        DhtNode second = net.join();
        assertEquals(Mapping.UNKNOWN, second.status().reachability().mapping(), "one observer is no verdict");
        assertEquals(1, second.status().reachability().observers());
        assertEquals(Mapping.UNKNOWN, first.status().reachability().mapping());
    }


    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
