package dev.kadshare.dht;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Peers found by one GET_PEERS lookup, with its cost: {@code hops} is the depth of the closest contact
 * that returned peers (or of the closest that answered, if none did), {@code rpcs} the queries it sent.
 */
public record LookupResult(Set<InetSocketAddress> peers, int hops, int rpcs) {
    public LookupResult {
        peers = Set.copyOf(peers);
    }
}
