package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Answer to {@link GetPeers}: the peers stored for the key if any (each with its link key if it announced one),
 * otherwise the closest contacts; always a write token for the asker's address.
 */
public record Peers(long txId, NodeId sender, InetSocketAddress observed, WriteToken token, List<AnnouncedPeer> peers,
                    List<Contact> nodes) implements Response {
    /** At most this many peers, however small. */
    public static final int MAX_PEERS = 50;
    /**
     * The peers' bytes a reply may hold: with header, observed address and the longest token it stays under the
     * datagram limit (30 IPv4 or 23 IPv6 peers with link keys, 50 without).
     */
    public static final int MAX_PEER_BYTES = 1_200;

    public Peers {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
        Objects.requireNonNull(token);
        peers = List.copyOf(peers);
        nodes = List.copyOf(nodes);
        if (peers.size() > MAX_PEERS || nodes.size() > Nodes.MAX_CONTACTS || wireSize(peers) > MAX_PEER_BYTES) {
            throw new IllegalArgumentException("too many peers or nodes: " + peers.size() + " (" + wireSize(peers)
                    + " bytes)/" + nodes.size());
        }
        if (!peers.isEmpty() && !nodes.isEmpty()) {
            // Both at their maximum would not fit one datagram; the protocol sends one or the other.
            throw new IllegalArgumentException("a Peers reply carries peers or nodes, not both");
        }
    }

    /** The bytes {@code peers} take in a reply. */
    public static int wireSize(List<AnnouncedPeer> peers) {
        int size = 0;
        for (AnnouncedPeer p : peers) {
            size += p.wireSize();
        }
        return size;
    }

    /** The first of {@code newestFirst} that fit one reply. */
    public static List<AnnouncedPeer> fittingOneReply(List<AnnouncedPeer> newestFirst) {
        int size = 0;
        int n = 0;
        for (AnnouncedPeer p : newestFirst) {
            size += p.wireSize();
            if (size > MAX_PEER_BYTES || n == MAX_PEERS) {
                break;
            }
            n++;
        }
        return newestFirst.subList(0, n);
    }
}
