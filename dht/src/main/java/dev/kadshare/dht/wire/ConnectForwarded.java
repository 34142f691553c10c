package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Answer to {@link ConnectRequest}: the peer was introduced and acknowledged; it dials the getter now. */
public record ConnectForwarded(long txId, NodeId sender, InetSocketAddress observed) implements Response {
    public ConnectForwarded {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
    }
}
