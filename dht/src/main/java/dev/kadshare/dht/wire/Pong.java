package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Answer to {@link Ping}. */
public record Pong(long txId, NodeId sender, InetSocketAddress observed) implements Response {
    public Pong {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
    }
}
