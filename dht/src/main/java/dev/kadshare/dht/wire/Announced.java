package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/** Answer to an accepted {@link AnnouncePeer}. */
public record Announced(long txId, NodeId sender, InetSocketAddress observed) implements Response {
    public Announced {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
    }
}
