package dev.kadshare.dht.wire;

import java.net.InetSocketAddress;

/**
 * A message answering a {@link Request}. Every response carries the source address the request came from as the
 * responder saw it (BEP 42's {@code ip}), so a node learns how it appears to others.
 */
public sealed interface Response extends Message permits Pong, Nodes, Peers, Announced, PeerWithdrawn, Records, Stored,
        ConnectForwarded, Introduced {
    /** The requester's IP and UDP port as the responder saw them. */
    InetSocketAddress observed();
}
