package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes a whole node's way in ({@link DhtNode#onDatagram}) on a virtual clock: a node that has just pinged its seed
 * takes any datagram from the seed's address without throwing, now or as its timers run on, and answers a request with
 * no more bytes than it brought. The node is the same for every input (its randomness is seeded), so the seeds' answer
 * to its PING matches a request it is waiting for and the fuzzer starts from the deep end: a bound, tagged response.
 */
class DhtNodeDatagramFuzzTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("198.51.100.1", 4000);
    private static final InetSocketAddress SEED = new InetSocketAddress("203.0.113.2", 4000);

    /** The node, its clock, the bytes it sent to the seed, and the peer that speaks for the seed. */
    private record Fixture(DhtNode node, VirtualClock time, AtomicInteger toSeed, ScriptedPeer seed, Ping ping) {
        static Fixture of() {
            SplittableRandom random = new SplittableRandom(1);
            VirtualClock time = new VirtualClock();
            AtomicInteger toSeed = new AtomicInteger();
            Ping[] ping = new Ping[1];
            DhtKey key = DhtKey.generate(random);
            DhtNode node = new DhtNode(DhtConfig.defaults(key, LOCAL.getAddress()), LOCAL, (to, data) -> {
                if (to.equals(SEED)) {
                    toSeed.addAndGet(data.length);
                    if (ping[0] == null && ScriptedPeer.open(data) instanceof Ping p) {
                        ping[0] = p;
                    }
                }
            }, (delay, task) -> time.schedule(delay, task)::cancel, time, random);
            node.bootstrap(List.of(SEED));
            return new Fixture(node, time, toSeed, new ScriptedPeer(SEED, key.publicKey(), new SplittableRandom(2)),
                    assertInstanceOf(Ping.class, ping[0]));
        }
    }

    /** Seeds: the seed's answer to the PING, and requests from it, padded and not. */
    static Stream<byte[]> datagrams() {
        Fixture f = Fixture.of();
        NodeId id = f.seed().id();
        NodeId target = NodeId.random(new SplittableRandom(3));
        byte[] pong = f.seed().seal(new Pong(f.ping().txId(), id, LOCAL));
        f.node().onDatagram(SEED, pong);
        assertEquals(1, f.node().status().routingTableSize(), "the seeds start where an answer is taken");
        return Stream.of(pong,
                f.seed().seal(new Nodes(f.ping().txId(), id, LOCAL, List.of(new Contact(target, SEED)))),
                f.seed().seal(new Ping(7, id)),
                f.seed().seal(new Ping(7, id), 200),
                f.seed().seal(new FindNode(8, id, target), 1_000),
                f.seed().seal(new GetPeers(9, id, target), 1_000),
                f.seed().seal(new GetRecords(10, id, target, 0), 1_350));
    }

    @MethodSource("datagrams")
    @FuzzTest
    void onDatagram(byte[] datagram) {
        Fixture f = Fixture.of();
        int before = f.toSeed().get();
        f.node().onDatagram(SEED, datagram);
        if (Envelope.open(datagram) instanceof Envelope.Opened.Request) {
            int sent = f.toSeed().get() - before;
            assertTrue(sent <= datagram.length, () -> sent + " bytes sent in answer to a request of " + datagram.length);
        }
        f.time().runFor(Duration.ofSeconds(5));
    }
}
