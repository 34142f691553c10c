package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.token.WriteToken;

/**
 * Asks the receiver to store the sender's IP with {@code port} under {@code key}; only accepted with a
 * token the receiver issued to that IP. Answered by {@link Announced}.
 */
public record AnnouncePeer(long txId, NodeId sender, NodeId key, int port, WriteToken token)
        implements Request, PeerEntry {
    public AnnouncePeer {
        PeerEntry.validate(sender, key, port, token);
    }

    @Override
    public Class<Announced> responseType() {
        return Announced.class;
    }
}
