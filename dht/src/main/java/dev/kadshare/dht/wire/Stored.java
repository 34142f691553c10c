package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Answer to an accepted {@link PutRecord}. */
public record Stored(long txId, NodeId sender) implements Response {
    public Stored {
        Objects.requireNonNull(sender);
    }
}
