package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Answer to {@link GetPeers}: the peers stored for the key if any, otherwise the closest contacts;
 * always a write token for the asker's address.
 */
public record Peers(long txId, NodeId sender, InetSocketAddress observed, WriteToken token, List<InetSocketAddress> peers, List<Contact> nodes)
        implements Response {
    /** 50 IPv6 peers (19 bytes each) plus header and token stay under the datagram limit. */
    public static final int MAX_PEERS = 50;

    public Peers {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
        Objects.requireNonNull(token);
        peers = List.copyOf(peers);
        nodes = List.copyOf(nodes);
        if (peers.size() > MAX_PEERS || nodes.size() > Nodes.MAX_CONTACTS) {
            throw new IllegalArgumentException("too many peers or nodes: " + peers.size() + "/" + nodes.size());
        }
        if (!peers.isEmpty() && !nodes.isEmpty()) {
            // Both at their maximum would not fit one datagram; the protocol sends one or the other.
            throw new IllegalArgumentException("a Peers reply carries peers or nodes, not both");
        }
    }
}
