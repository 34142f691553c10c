package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Answer to an accepted {@link WithdrawPeer}: the entry is gone (or was never there). */
public record PeerWithdrawn(long txId, NodeId sender, InetSocketAddress observed) implements Response {
    public PeerWithdrawn {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
    }
}
