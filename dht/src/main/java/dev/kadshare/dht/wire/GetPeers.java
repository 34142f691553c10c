package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Asks for peers stored under {@code key}; answered by {@link Peers}. */
public record GetPeers(long txId, NodeId sender, NodeId key) implements Request {
    public GetPeers {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
    }

    @Override
    public Class<Peers> responseType() {
        return Peers.class;
    }
}
