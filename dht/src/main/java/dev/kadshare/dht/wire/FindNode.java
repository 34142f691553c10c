package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Asks for the contacts the receiver knows closest to {@code target}; answered by {@link Nodes}. */
public record FindNode(long txId, NodeId sender, NodeId target) implements Request {
    public FindNode {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(target);
    }

    @Override
    public Class<Nodes> responseType() {
        return Nodes.class;
    }
}
