package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Liveness probe; answered by {@link Pong}. */
public record Ping(long txId, NodeId sender) implements Request {
    public Ping {
        Objects.requireNonNull(sender);
    }

    @Override
    public Class<Pong> responseType() {
        return Pong.class;
    }
}
