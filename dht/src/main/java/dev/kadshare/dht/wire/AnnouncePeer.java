package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.token.WriteToken;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the receiver to store the sender's IP with {@code port} under {@code key}, and the public key of the sender's
 * transfer link if it gives one (getters then open their first link with IK); only accepted with a token the receiver
 * issued to that IP. Answered by {@link Announced}.
 */
public record AnnouncePeer(long txId, NodeId sender, NodeId key, int port, WriteToken token, Optional<LinkKey> linkKey)
        implements Request, PeerEntry {
    public AnnouncePeer {
        PeerEntry.validate(sender, key, port, token);
        Objects.requireNonNull(linkKey);
    }

    /** An announcement without a link key. */
    public AnnouncePeer(long txId, NodeId sender, NodeId key, int port, WriteToken token) {
        this(txId, sender, key, port, token, Optional.empty());
    }

    @Override
    public Class<Announced> responseType() {
        return Announced.class;
    }
}
