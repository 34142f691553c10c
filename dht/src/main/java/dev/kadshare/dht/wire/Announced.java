package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Answer to an accepted {@link AnnouncePeer}. */
public record Announced(long txId, NodeId sender) implements Response {
    public Announced {
        Objects.requireNonNull(sender);
    }
}
