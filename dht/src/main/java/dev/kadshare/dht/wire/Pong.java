package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Answer to {@link Ping}. */
public record Pong(long txId, NodeId sender) implements Response {
    public Pong {
        Objects.requireNonNull(sender);
    }
}
