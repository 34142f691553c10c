package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.token.WriteTokens;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the protocol core. {@code storageTtl} is how long announcements and records live at the
 * nodes that store them; our own ones are renewed every {@code republishInterval}. The per-IP limits
 * ({@code maxContactsPerIpPerBucket}, {@code datagramsPerSecondPerIp}) never apply to loopback sources,
 * since a one-machine network puts every node on 127.0.0.1; 0 turns a limit off.
 */
public record NodeConfig(NodeId id, int k, int alpha, Duration rpcTimeout, Duration seedRetryInterval,
                         Duration tokenRotation, Duration peerTtl, int maxPeersPerKey, int maxPeersTotal,
                         int maxRecordsPerKey, int maxRecordsTotal, Duration republishInterval,
                         Duration bucketRefreshInterval, int maxContactsPerIpPerBucket,
                         int datagramsPerSecondPerIp) {
    public static final int DEFAULT_MAX_CONTACTS_PER_IP_PER_BUCKET = 2;
    public static final int DEFAULT_DATAGRAMS_PER_SECOND_PER_IP = 100;

    public NodeConfig {
        Objects.requireNonNull(id);
        Objects.requireNonNull(rpcTimeout);
        Objects.requireNonNull(seedRetryInterval);
        Objects.requireNonNull(tokenRotation);
        Objects.requireNonNull(peerTtl);
        Objects.requireNonNull(republishInterval);
        Objects.requireNonNull(bucketRefreshInterval);
        if (k < 1 || alpha < 1 || maxPeersPerKey < 1 || maxPeersTotal < 1 || maxRecordsPerKey < 1 || maxRecordsTotal < 1) {
            throw new IllegalArgumentException("k, alpha and store bounds must be positive");
        }
        if (maxContactsPerIpPerBucket < 0 || datagramsPerSecondPerIp < 0) {
            throw new IllegalArgumentException("per-IP limits must be 0 (off) or positive");
        }
        if (republishInterval.isZero() || republishInterval.isNegative() || republishInterval.compareTo(peerTtl) >= 0) {
            throw new IllegalArgumentException("republish interval must be positive and shorter than the TTL");
        }
        if (bucketRefreshInterval.isZero() || bucketRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("bucket refresh interval must be positive");
        }
    }

    /** The original nine-field form; the newer fields take their defaults. */
    public NodeConfig(NodeId id, int k, int alpha, Duration rpcTimeout, Duration seedRetryInterval,
                      Duration tokenRotation, Duration peerTtl, int maxPeersPerKey, int maxPeersTotal) {
        this(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, peerTtl, maxPeersPerKey, maxPeersTotal,
                20, 100_000, peerTtl.dividedBy(3), Duration.ofMinutes(15),
                DEFAULT_MAX_CONTACTS_PER_IP_PER_BUCKET, DEFAULT_DATAGRAMS_PER_SECOND_PER_IP);
    }

    public static NodeConfig of(NodeId id, int k, int alpha, Duration rpcTimeout) {
        return new NodeConfig(id, k, alpha, rpcTimeout, Duration.ofSeconds(5), WriteTokens.DEFAULT_ROTATION,
                PeerStore.DEFAULT_TTL, 200, 100_000);
    }

    public static NodeConfig defaults(NodeId id) {
        return of(id, 20, 3, Duration.ofSeconds(2));
    }

    /** TTL of stored announcements and records; our own are renewed every third of it. */
    public NodeConfig withStorageTtl(Duration ttl) {
        return new NodeConfig(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, ttl, maxPeersPerKey,
                maxPeersTotal, maxRecordsPerKey, maxRecordsTotal, ttl.dividedBy(3), bucketRefreshInterval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp);
    }

    public NodeConfig withRecordLimits(int perKey, int total) {
        return new NodeConfig(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, peerTtl, maxPeersPerKey,
                maxPeersTotal, perKey, total, republishInterval, bucketRefreshInterval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp);
    }

    public NodeConfig withPeerLimits(int perKey, int total) {
        return new NodeConfig(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, peerTtl, perKey,
                total, maxRecordsPerKey, maxRecordsTotal, republishInterval, bucketRefreshInterval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp);
    }

    public NodeConfig withBucketRefreshInterval(Duration interval) {
        return new NodeConfig(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, peerTtl, maxPeersPerKey,
                maxPeersTotal, maxRecordsPerKey, maxRecordsTotal, republishInterval, interval,
                maxContactsPerIpPerBucket, datagramsPerSecondPerIp);
    }

    /** At most {@code max} contacts of one IP per bucket; 0 = no limit. */
    public NodeConfig withMaxContactsPerIpPerBucket(int max) {
        return new NodeConfig(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, peerTtl, maxPeersPerKey,
                maxPeersTotal, maxRecordsPerKey, maxRecordsTotal, republishInterval, bucketRefreshInterval,
                max, datagramsPerSecondPerIp);
    }

    /** Inbound datagrams per second accepted from one IP (burst twice that); 0 = no limit. */
    public NodeConfig withDatagramsPerSecondPerIp(int rate) {
        return new NodeConfig(id, k, alpha, rpcTimeout, seedRetryInterval, tokenRotation, peerTtl, maxPeersPerKey,
                maxPeersTotal, maxRecordsPerKey, maxRecordsTotal, republishInterval, bucketRefreshInterval,
                maxContactsPerIpPerBucket, rate);
    }
}
