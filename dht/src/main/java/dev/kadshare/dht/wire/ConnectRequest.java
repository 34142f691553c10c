package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A getter that cannot dial {@code peer}, an entry the receiver returned under {@code key}, asks the receiver to
 * introduce it there; {@code port} is the getter's TCP listen port (its IP is the datagram's source, never said
 * here). Answered by {@link ConnectForwarded} once the peer acknowledged the {@link Introduce}.
 */
public record ConnectRequest(long txId, NodeId sender, NodeId key, InetSocketAddress peer, int port) implements Request {
    public ConnectRequest {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
        Fields.requireResolved(peer);
        Fields.requirePort(port);
    }

    @Override
    public Class<ConnectForwarded> responseType() {
        return ConnectForwarded.class;
    }
}
