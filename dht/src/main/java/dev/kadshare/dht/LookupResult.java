package dev.kadshare.dht;

import dev.kadshare.dht.store.LinkKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Peers found by one GET_PEERS lookup, with its cost: {@code hops} is the depth of the closest contact
 * that returned peers (or of the closest that answered, if none did), {@code rpcs} the queries it sent.
 * {@code linkKeys} holds the link key given for a peer, where one was: a hint that the link's handshake proves or not.
 */
public record LookupResult(Set<InetSocketAddress> peers, Map<InetSocketAddress, LinkKey> linkKeys, int hops, int rpcs) {
    public LookupResult {
        peers = Set.copyOf(peers);
        linkKeys = Map.copyOf(linkKeys);
    }

    /** Peers without link keys. */
    public LookupResult(Set<InetSocketAddress> peers, int hops, int rpcs) {
        this(peers, Map.of(), hops, rpcs);
    }

    /** The link key given for {@code peer}, if any. */
    public Optional<LinkKey> linkKeyOf(InetSocketAddress peer) {
        return Optional.ofNullable(linkKeys.get(peer));
    }
}
