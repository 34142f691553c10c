package dev.kadshare.dht.rendezvous;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * A storer's memory of where each announcement came from: the announcer's UDP source endpoint per stored peer entry
 * (key, the entry's IP and TCP port), the only place a {@code ConnectRequest} may be forwarded to. Lives as long as
 * the entry (the TTL, renewed by each announcement) and holds at most {@code capacity} (the oldest go first).
 */
public final class AnnouncerEndpoints {
    private record Entry(NodeId key, InetSocketAddress peer) {}

    private record Endpoint(InetSocketAddress udp, Instant expires) {}

    private final InstantSource clock;
    private final Duration ttl;
    private final int capacity;
    private final LinkedHashMap<Entry, Endpoint> endpoints = new LinkedHashMap<>();

    public AnnouncerEndpoints(InstantSource clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    /** An announcement of {@code peer} under {@code key} came from {@code udp}. */
    public void announced(NodeId key, InetSocketAddress peer, InetSocketAddress udp) {
        Entry entry = new Entry(key, peer);
        endpoints.remove(entry);
        endpoints.put(entry, new Endpoint(udp, clock.instant().plus(ttl)));
        if (endpoints.size() > capacity) {
            Iterator<Entry> oldest = endpoints.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public void withdrawn(NodeId key, InetSocketAddress peer) {
        endpoints.remove(new Entry(key, peer));
    }

    /** Where the announcer of {@code peer} under {@code key} sends from, while its entry lives. */
    public Optional<InetSocketAddress> endpointOf(NodeId key, InetSocketAddress peer) {
        Endpoint e = endpoints.get(new Entry(key, peer));
        return e == null || e.expires().isBefore(clock.instant()) ? Optional.empty() : Optional.of(e.udp());
    }

    /** Forgets the expired. */
    public void purgeExpired() {
        Instant now = clock.instant();
        endpoints.values().removeIf(e -> e.expires().isBefore(now));
    }

    public int size() {
        return endpoints.size();
    }
}
