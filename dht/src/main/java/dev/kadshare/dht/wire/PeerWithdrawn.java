package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Answer to an accepted {@link WithdrawPeer}: the entry is gone (or was never there). */
public record PeerWithdrawn(long txId, NodeId sender) implements Response {
    public PeerWithdrawn {
        Objects.requireNonNull(sender);
    }
}
