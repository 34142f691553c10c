package dev.kadshare.dht.store;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;

/** Announced peers per key, each with an expiry; bounded per key and in total. */
public final class PeerStore extends ExpiringStore<InetSocketAddress> {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);

    public PeerStore(InstantSource clock, Duration ttl, int maxPerKey, int maxTotal) {
        super(clock, ttl, maxPerKey, maxTotal);
    }
}
