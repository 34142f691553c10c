package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.LookupResult;
import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Departed contacts in the tables: a search asks them, and waits for each only as long as its measured round
 * trip says (here the 200 ms floor), not the 2 s it takes for the request to be given up.
 */
class SlowContactLookupTest {
    @Test
    void searchesMovePastDepartedContactsWithoutWaitingForTheirRequestsToFail() {
        SimulatedDht sim = new SimulatedDht(11);
        sim.grow(80);
        DhtNode holder = sim.randomAlive();
        NodeId key = NodeId.random(sim.random);
        sim.await(holder.announce(key, 5000));
        InetSocketAddress announced = new InetSocketAddress(holder.localAddress().getAddress(), 5000);
        for (int i = 0; i < 24; i++) {
            sim.leave(sim.randomAliveExcept(List.of(holder)));
        }
        List<Duration> took = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DhtNode searcher = sim.randomAliveExcept(List.of(holder));
            Instant start = sim.time.instant();
            LookupResult result = sim.await(searcher.lookupPeers(key));
            took.add(Duration.between(start, sim.time.instant()));
            assertTrue(result.peers().contains(announced), "search " + i + " found " + result.peers());
        }
        // Every search finished before any request it sent could have been given up (2 s), and yet some asked
        // departed contacts: their slots moved on after the adaptive timeout.
        took.sort(null);
        assertTrue(took.get(took.size() - 1).compareTo(Duration.ofSeconds(2)) < 0, "slowest search took " + took);
        sim.runFor(Duration.ofSeconds(3));
        long given = sim.alive.stream().mapToLong(n -> n.status().counter("rpc.timeout.GetPeers")).sum();
        assertTrue(given > 0, "no search asked a departed contact: the test shows nothing");
    }
}
