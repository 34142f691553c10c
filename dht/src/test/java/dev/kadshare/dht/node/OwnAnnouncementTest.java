package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Peers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A wildcard-bound node's own announcement and a loopback neighbour's, as the README's two daemons make them. */
class OwnAnnouncementTest {
    private final NodeUnderTest under = new NodeUnderTest(12, new InetSocketAddress("0.0.0.0", 7700), b -> b);
    private final SplittableRandom random = under.random;
    private final DhtNode node = under.node;
    private final ScriptedPeer neighbour = under.peer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7701));

    @Test
    void aNeighbourOnTheSameAddressDoesNotTakeTheNodesOwnAnnouncementsPlace() {
        NodeId key = NodeId.random(random);
        node.announce(key, 7700);
        Peers first = ask(key);
        node.onDatagram(neighbour.address, neighbour.seal(new AnnouncePeer(2, neighbour.id(), key, 7701, first.token(),
                Optional.empty())));
        Set<InetSocketAddress> held = ask(key).peers().stream().map(AnnouncedPeer::address).collect(Collectors.toSet());
        assertEquals(Set.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7700),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7701)), held);
    }

    private Peers ask(NodeId key) {
        under.sent.clear();
        node.onDatagram(neighbour.address, neighbour.seal(new GetPeers(random.nextLong(), neighbour.id(), key),
                MessageCodec.MAX_MESSAGE));
        return assertInstanceOf(Peers.class, under.sent.get(0).message());
    }
}
