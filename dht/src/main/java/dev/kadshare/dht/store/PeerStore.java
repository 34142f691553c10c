package dev.kadshare.dht.store;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Announced peers per key, each with an expiry; one entry per source address under a key (the same IP announcing
 * another port or link key replaces its entry), at most {@link #PER_KEY_PER_SOURCE} per host (the IPs of one IPv6 /64,
 * several machines that may share the same content), bounded per host and in total.
 */
public final class PeerStore extends ExpiringStore<AnnouncedPeer> {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);
    /** Announcements of one host under one key: the IPs of its /64 that announce it (an IPv4 host has one). */
    public static final int PER_KEY_PER_SOURCE = 4;

    public PeerStore(InstantSource clock, Duration ttl, Limits limits) {
        super(clock, ttl, new Limits(limits.perKey(), PER_KEY_PER_SOURCE, limits.perSource(), limits.total()));
    }

    @Override
    protected Object slotOf(AnnouncedPeer peer, InetSocketAddress source) {
        return source;
    }

    /** Forgets the entry at {@code address} under {@code key}, whatever link key it gave (a withdrawal names none). */
    public void withdraw(NodeId key, InetSocketAddress address) {
        get(key, Integer.MAX_VALUE).stream().filter(p -> p.address().equals(address)).findFirst()
                .ifPresent(p -> remove(key, p));
    }
}
