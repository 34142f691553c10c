package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.Introduce;
import dev.kadshare.dht.wire.MessageCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * INTRODUCE makes a sharer dial (TCP, several attempts) the getter it names, so a sharer takes it only from a holder of
 * its announcement that proves itself (the request tagged under their session key, by the key the holder's id is made
 * of), names a getter on a network no more local than its own, and stays within a rate per holder and per getter: no
 * off-path sender, and no holder, makes a sharer a dialler of arbitrary addresses. All in virtual time and addresses.
 */
class RendezvousSpoofingTest {
    private static final int SHARER_TCP = 7000;
    private final SimulatedDht net = new SimulatedDht(55);
    private final NodeId key = NodeId.random(net.random);
    private final List<Introduction> heard = new ArrayList<>();
    private DhtNode sharer;
    private DhtNode holder;
    private byte[] sharerKey;

    @BeforeEach
    void aNattedSharerAnnounces() throws UnknownHostException {
        net.grow(10);
        sharer = net.behind(new VirtualNat(net.network, InetAddress.getByName("198.51.100.1"), VirtualNat.Kind.PORT_PRESERVING));
        net.await(sharer.bootstrap(List.of(net.alive.get(0).localAddress())));
        sharer.onIntroduction(heard::add);
        assertTrue(net.await(sharer.announce(key, SHARER_TCP)) > 0);
        // A holder of the announcement: its address is public (any GET_PEERS lookup for the key reaches it).
        holder = net.alive.stream().filter(n -> n.status().counter("store.peers") > 0).findFirst().orElseThrow();
        sharerKey = net.keys.get(sharer).publicKey();
    }

    @Test
    void anIntroductionSpoofedFromAHoldersAddressIsDropped() throws UnknownHostException {
        InetSocketAddress getter = new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 8080);
        // Untagged, with the holder's (public) key, as anyone who saw one of its answers can write it.
        sharer.onDatagram(holder.localAddress(), Envelope.request(net.keys.get(holder).publicKey(),
                encode(new Introduce(4242, holder.id(), key, getter))));
        // Tagged, but by the attacker's own key: the tag holds, and proves it is not the holder.
        DhtKey attacker = DhtKey.generate(net.random);
        byte[] session = X25519SessionKeys.INSTANCE.derive(attacker, sharerKey).orElseThrow();
        sharer.onDatagram(holder.localAddress(), Envelope.taggedRequest(attacker.publicKey(), session,
                encode(new Introduce(4243, holder.id(), key, getter))));

        assertEquals(List.of(), heard, "the sharer was made to punch towards " + heard);
        assertEquals(2, sharer.status().counter("dropped.INTRODUCE_UNAUTHENTICATED"));
        fromHolder(4244, getter);
        assertEquals(1, heard.size(), "the holder itself is heard: " + heard);
    }

    @Test
    void aHolderNamesNoGetterOnANetworkMoreLocalThanItsOwn() throws UnknownHostException {
        fromHolder(1, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080)); // the sharer's own machine
        assertEquals(List.of(), heard);
        assertEquals(1, sharer.status().counter("dropped.INTRODUCE_UNASKED"));
    }

    @Test
    void oneHolderCannotMakeTheSharerDialWithoutLimit() throws UnknownHostException {
        int sent = 200;
        for (int i = 0; i < sent; i++) { // a new getter IP each time: the limit per getter never bites
            fromHolder(5000 + i, new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {(byte) 203, 0, (byte) (113 + i / 250), (byte) (1 + i % 250)}), 443));
        }
        assertTrue(heard.size() <= 2 * DhtNode.INTRODUCTION_BURST,
                "one holder's " + sent + " INTRODUCEs within a moment made the sharer dial " + heard.size() + " addresses");
    }

    /** An INTRODUCE the holder sends itself, tagged as holders do. */
    private void fromHolder(long txId, InetSocketAddress getter) {
        DhtKey holderKey = net.keys.get(holder);
        byte[] session = X25519SessionKeys.INSTANCE.derive(holderKey, sharerKey).orElseThrow();
        sharer.onDatagram(holder.localAddress(), Envelope.taggedRequest(holderKey.publicKey(), session,
                encode(new Introduce(txId, holder.id(), key, getter))));
    }

    private static byte[] encode(Introduce introduce) {
        return new MessageCodec().encode(introduce);
    }
}
