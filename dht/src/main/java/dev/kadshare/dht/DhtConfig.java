package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/** Settings of a {@link Dht}: our id, the UDP address to bind, k, alpha and the RPC timeout. */
public record DhtConfig(NodeId id, InetSocketAddress bindAddress, int k, int alpha, Duration rpcTimeout) {
    public DhtConfig {
        Objects.requireNonNull(id);
        Objects.requireNonNull(bindAddress);
        Objects.requireNonNull(rpcTimeout);
        if (k < 1 || alpha < 1) {
            throw new IllegalArgumentException("k and alpha must be positive");
        }
    }

    /** k = 20, alpha = 3, 2 s RPC timeout. */
    public static DhtConfig defaults(NodeId id, InetSocketAddress bindAddress) {
        return new DhtConfig(id, bindAddress, 20, 3, Duration.ofSeconds(2));
    }
}
