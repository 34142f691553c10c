package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.node.NodeConfig;
import dev.kadshare.dht.store.PeerStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link Dht}: our id, the UDP address to bind, k, alpha, the RPC timeout, where to keep
 * the routing-table snapshot (none by default) and how often to save it, the per-IP limits (see
 * {@link NodeConfig}) and the TTL of stored announcements and records.
 */
public record DhtConfig(NodeId id, InetSocketAddress bindAddress, int k, int alpha, Duration rpcTimeout,
                        Optional<Path> snapshotFile, Duration snapshotInterval, int maxContactsPerIpPerBucket,
                        int datagramsPerSecondPerIp, Duration storageTtl) {
    public DhtConfig {
        Objects.requireNonNull(id);
        Objects.requireNonNull(bindAddress);
        Objects.requireNonNull(rpcTimeout);
        Objects.requireNonNull(snapshotFile);
        Objects.requireNonNull(snapshotInterval);
        Objects.requireNonNull(storageTtl);
        if (k < 1 || alpha < 1) {
            throw new IllegalArgumentException("k and alpha must be positive");
        }
        if (snapshotInterval.isZero() || snapshotInterval.isNegative()) {
            throw new IllegalArgumentException("snapshot interval must be positive");
        }
    }

    /** The original five-field form: no snapshot, default limits and TTL. */
    public DhtConfig(NodeId id, InetSocketAddress bindAddress, int k, int alpha, Duration rpcTimeout) {
        this(id, bindAddress, k, alpha, rpcTimeout, Optional.empty(), Duration.ofMinutes(5),
                NodeConfig.DEFAULT_MAX_CONTACTS_PER_IP_PER_BUCKET, NodeConfig.DEFAULT_DATAGRAMS_PER_SECOND_PER_IP,
                PeerStore.DEFAULT_TTL);
    }

    /** k = 20, alpha = 3, 2 s RPC timeout. */
    public static DhtConfig defaults(NodeId id, InetSocketAddress bindAddress) {
        return new DhtConfig(id, bindAddress, 20, 3, Duration.ofSeconds(2));
    }

    /**
     * Saves the routing table to {@code file} every {@link #snapshotInterval()} and at close; at open, a
     * saved snapshot's contacts are pinged so the node rejoins without bootstrap seeds.
     */
    public DhtConfig withSnapshot(Path file) {
        return new DhtConfig(id, bindAddress, k, alpha, rpcTimeout, Optional.of(file), snapshotInterval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp, storageTtl);
    }

    public DhtConfig withSnapshotInterval(Duration interval) {
        return new DhtConfig(id, bindAddress, k, alpha, rpcTimeout, snapshotFile, interval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp, storageTtl);
    }

    /** 0 = no limit; loopback contacts are never limited. */
    public DhtConfig withMaxContactsPerIpPerBucket(int max) {
        return new DhtConfig(id, bindAddress, k, alpha, rpcTimeout, snapshotFile, snapshotInterval,
                max, datagramsPerSecondPerIp, storageTtl);
    }

    /** 0 = no limit; loopback sources are never limited. */
    public DhtConfig withDatagramsPerSecondPerIp(int rate) {
        return new DhtConfig(id, bindAddress, k, alpha, rpcTimeout, snapshotFile, snapshotInterval,
                maxContactsPerIpPerBucket, rate, storageTtl);
    }

    /** TTL of announcements and records where they are stored; ours are renewed every third of it. */
    public DhtConfig withStorageTtl(Duration ttl) {
        return new DhtConfig(id, bindAddress, k, alpha, rpcTimeout, snapshotFile, snapshotInterval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp, ttl);
    }

    /** The protocol core's settings these translate to. */
    public NodeConfig nodeConfig() {
        return NodeConfig.of(id, k, alpha, rpcTimeout).withStorageTtl(storageTtl)
                .withMaxContactsPerIpPerBucket(maxContactsPerIpPerBucket)
                .withDatagramsPerSecondPerIp(datagramsPerSecondPerIp);
    }
}
