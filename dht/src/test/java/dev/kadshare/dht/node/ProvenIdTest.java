package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A node takes answers only from the holder of the key its id is made of, at the address the id is bound to. */
class ProvenIdTest {
    private final InetSocketAddress local = new InetSocketAddress("198.51.100.1", 4000);
    private final InetSocketAddress seed = new InetSocketAddress("203.0.113.2", 4000);
    private final NodeUnderTest under = new NodeUnderTest(3, local, b -> b);
    private final SplittableRandom random = under.random;
    private final VirtualClock time = under.time;
    private final DhtKey nodeKey = under.key;
    private final DhtNode node = under.node;
    private final ScriptedPeer peer = under.peer(seed);

    private Message lastSent() {
        return under.last();
    }

    @Test
    void anAnswerCountsOnlyFromTheKeyItsIdIsMadeOfAtItsAddress() {
        CompletableFuture<Integer> bootstrap = node.bootstrap(List.of(seed));
        node.onDatagram(seed, peer.seal(new Pong(((Ping) lastSent()).txId(), peer.id(), local)));
        assertEquals(1, node.status().routingTableSize());
        FindNode find = assertInstanceOf(FindNode.class, lastSent());
        MessageCodec codec = new MessageCodec();
        byte[] answer = codec.encode(new Nodes(find.txId(), peer.id(), local, List.of()));

        // The peer's id, answered by another key, rightly tagged for it: the id is not that key's.
        DhtKey forger = DhtKey.generate(random);
        byte[] forgersSession = X25519SessionKeys.INSTANCE.derive(forger, nodeKey.publicKey()).orElseThrow();
        node.onDatagram(seed, Envelope.response(forger.publicKey(), forgersSession, answer));
        assertEquals(1, node.status().counter("dropped.ID_NOT_BOUND"));
        // The peer's id and key, sent by someone without its private key: the tag is not the pair's.
        node.onDatagram(seed, Envelope.response(peer.key.publicKey(), forgersSession, answer));
        assertEquals(1, node.status().counter("dropped.BAD_TAG"));
        // The peer's answer with one bit of its tag flipped on the way.
        byte[] flipped = peer.seal(new Nodes(find.txId(), peer.id(), local, List.of()));
        flipped[Envelope.REQUEST_OVERHEAD] ^= 1;
        node.onDatagram(seed, flipped);
        assertEquals(2, node.status().counter("dropped.BAD_TAG"));
        assertFalse(bootstrap.isDone(), "nothing forged ends the lookup");

        node.onDatagram(seed, peer.seal(new Nodes(find.txId(), peer.id(), local, List.of())));
        assertTrue(time.runUntil(bootstrap::isDone, Duration.ofSeconds(3), 100));
        assertEquals(1, bootstrap.join());
    }

    @Test
    void aPongFromAnIdNotBoundToItsAddressTellsUsOurAddressButTakesNoPlace() {
        // A node behind a NAT: its id bound to its LAN address, its answers from its router's.
        ScriptedPeer home = under.peer(new InetSocketAddress("10.0.0.5", 4000));
        node.bootstrap(List.of(seed));
        node.onDatagram(seed, peer.seal(new Pong(((Ping) lastSent()).txId(), home.id(), local)));
        assertEquals(1, node.status().counter("routing.refused.ID_NOT_BOUND"));
        assertEquals(0, node.status().routingTableSize());
        assertEquals(0, node.status().counter("dropped.ID_NOT_BOUND"));
    }

    @Test
    void aRequestThatCannotBeAnsweredAuthenticallyIsNotAnswered() {
        // A small-order key: no session key comes of it, so no answer is sent.
        node.onDatagram(seed, Envelope.request(new byte[Envelope.KEY_BYTES],
                new MessageCodec().encode(new Ping(7, peer.id()), 200)));
        assertEquals(1, node.status().counter("dropped.BAD_KEY"));
        assertTrue(under.sent.isEmpty());
        // A datagram of the old format (no envelope) is not one of ours.
        node.onDatagram(seed, new MessageCodec().encode(new Ping(8, peer.id())));
        assertEquals(1, node.status().counter("dropped.UNSUPPORTED_VERSION"));
    }

    @Test
    void contactsWhoseIdTheirAddressCannotHaveAreNotFollowed() {
        node.bootstrap(List.of(seed));
        node.onDatagram(seed, peer.seal(new Pong(((Ping) lastSent()).txId(), peer.id(), local)));
        under.sent.clear();
        NodeId target = NodeId.random(random);
        node.findNode(target);
        FindNode find = (FindNode) under.sent.stream().map(NodeUnderTest.Sent::message)
                .filter(m -> m instanceof FindNode f && f.target().equals(target))
                .findFirst().orElseThrow();
        InetSocketAddress liar = new InetSocketAddress("192.0.2.9", 4000);
        NodeId madeUp = NodeId.of(target.bytes()); // right next to the target: what a liar names
        NodeId real = IdRule.idFor(liar.getAddress(), DhtKey.generate(random).publicKey());
        under.sent.clear();
        node.onDatagram(seed, peer.seal(new Nodes(find.txId(), peer.id(), local,
                List.of(new Contact(madeUp, liar), new Contact(real, liar)))));
        assertEquals(1, node.status().counter("lookup.contacts.unbound"));
        assertEquals(1, under.sent.stream().filter(m -> m.message() instanceof FindNode).count(), "only the bound contact is asked");
        assertFalse(node.contacts().stream().anyMatch(c -> c.id().equals(madeUp)));
    }
}
