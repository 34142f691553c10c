package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A node whose only contact answers every FIND_NODE with contacts that do not exist: made-up ids next to the target
 * (dropped: their addresses cannot have them) and ids bound to made-up addresses (asked, never answered). Every
 * lookup ends within its bound of queries, and after a thousand of them the node holds nothing for them.
 */
class LyingResponderTest {
    private static final int LOOKUPS = 1_000;

    private final SplittableRandom random = new SplittableRandom(8);
    private final VirtualClock time = new VirtualClock();
    private final Scheduler timers = (delay, task) -> time.schedule(delay, task)::cancel;
    private final InetSocketAddress local = new InetSocketAddress("198.51.100.1", 4000);
    private final InetSocketAddress liarAddress = new InetSocketAddress("203.0.113.2", 4000);
    private final DhtKey nodeKey = DhtKey.generate(random);
    private final ScriptedPeer liar = new ScriptedPeer(liarAddress, nodeKey.publicKey(), random);
    private final List<Message> toLiar = new ArrayList<>();
    private final DhtNode node = new DhtNode(DhtConfig.defaults(nodeKey, local.getAddress()), local, (to, data) -> {
        if (to.equals(liarAddress)) {
            toLiar.add(ScriptedPeer.open(data));
        }
    }, timers, time, random);
    private int madeUp;

    @Test
    void everyLookupEndsWithinItsQueryBoundAndNothingOfThemStays() throws Exception {
        CompletableFuture<Integer> joined = node.bootstrap(List.of(liarAddress));
        answerAll();
        assertTrue(time.runUntil(() -> {
            answerAll();
            return joined.isDone();
        }, Duration.ofMinutes(1), 100_000));

        for (int i = 0; i < LOOKUPS; i++) {
            CompletableFuture<List<Contact>> lookup = node.findNode(NodeId.random(random));
            answerAll();
            assertTrue(time.runUntil(lookup::isDone, Duration.ofMinutes(1), 100_000), "lookup " + i + " did not end");
        }
        time.runFor(Duration.ofSeconds(10)); // the last requests' timeouts

        var s = node.status();
        long lookups = s.counter("lookup.count");
        assertTrue(lookups >= LOOKUPS, s.toString());
        assertTrue(s.counter("lookup.rpcs.total") <= lookups * Lookup.Bounds.DEFAULT.maxQueries(), s.toString());
        assertTrue(s.counter("lookup.contacts.unbound") >= LOOKUPS * 10L, "made-up ids next to the target are dropped");
        // Nothing waits any more: every request sent was answered or timed out (the liar's answers, the made-up
        // contacts' silence), so no lookup's state outlives it.
        long sent = s.counters().entrySet().stream().filter(e -> e.getKey().startsWith("rpc.sent.")
                && !e.getKey().equals("rpc.sent.Pong") && !e.getKey().equals("rpc.sent.Nodes"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
        long settled = s.counters().entrySet().stream().filter(e -> e.getKey().startsWith("rpc.timeout.")
                || e.getKey().equals("rpc.received.Nodes") || e.getKey().equals("rpc.received.Pong"))
                .mapToLong(java.util.Map.Entry::getValue).sum();
        assertEquals(sent, settled, s.toString());
        assertTrue(s.routingTableSize() <= 1, "only the liar answers: " + s.routingTableSize());
    }

    /** The liar's answers to what we asked it: 10 made-up ids next to the target, 10 bound ids at made-up addresses. */
    private void answerAll() {
        List<Message> asked = new ArrayList<>(toLiar);
        toLiar.clear();
        for (Message m : asked) {
            if (m instanceof FindNode f) {
                List<Contact> lies = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    byte[] near = f.target().bytes();
                    near[NodeId.BYTES - 1] ^= (byte) (i + 1);
                    lies.add(new Contact(NodeId.of(near), madeUpAddress()));
                    InetSocketAddress nowhere = madeUpAddress();
                    lies.add(new Contact(IdRule.idFor(nowhere.getAddress(), DhtKey.generate(random).publicKey()), nowhere));
                }
                node.onDatagram(liarAddress, liar.seal(new Nodes(f.txId(), liar.id(), local, lies)));
            } else if (m instanceof Ping p) {
                node.onDatagram(liarAddress, liar.seal(new Pong(p.txId(), liar.id(), local)));
            }
        }
    }

    private InetSocketAddress madeUpAddress() {
        int n = madeUp++;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 100, (byte) (64 + (n >> 16 & 0x3f)),
                    (byte) (n >> 8), (byte) n}), 4000);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
