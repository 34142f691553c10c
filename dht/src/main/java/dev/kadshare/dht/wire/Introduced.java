package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Answer to {@link Introduce}: the introduction was taken. */
public record Introduced(long txId, NodeId sender, InetSocketAddress observed) implements Response {
    public Introduced {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
    }
}
