package dev.kadshare.dht.store;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Announced peers per key, each with an expiry; one entry per source under a key (the same IP announcing another
 * port replaces its entry), bounded per source and in total.
 */
public final class PeerStore extends ExpiringStore<InetSocketAddress> {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);

    public PeerStore(InstantSource clock, Duration ttl, Limits limits) {
        super(clock, ttl, new Limits(limits.perKey(), 1, limits.perSource(), limits.total()));
    }

    @Override
    protected Object slotOf(InetSocketAddress peer, InetSocketAddress source) {
        return source;
    }
}
