package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.token.WriteTokens;
import java.time.Duration;
import java.util.Objects;

/** Tunables of the protocol core. */
public record NodeConfig(NodeId id, int k, int alpha, Duration rpcTimeout, Duration seedRetryInterval,
                         Duration tokenRotation, Duration peerTtl, int maxPeersPerKey, int maxPeersTotal) {
    public NodeConfig {
        Objects.requireNonNull(id);
        if (k < 1 || alpha < 1 || maxPeersPerKey < 1 || maxPeersTotal < 1) {
            throw new IllegalArgumentException("k, alpha and store bounds must be positive");
        }
    }

    public static NodeConfig of(NodeId id, int k, int alpha, Duration rpcTimeout) {
        return new NodeConfig(id, k, alpha, rpcTimeout, Duration.ofSeconds(5), WriteTokens.DEFAULT_ROTATION,
                PeerStore.DEFAULT_TTL, 200, 100_000);
    }

    public static NodeConfig defaults(NodeId id) {
        return of(id, 20, 3, Duration.ofSeconds(2));
    }
}
