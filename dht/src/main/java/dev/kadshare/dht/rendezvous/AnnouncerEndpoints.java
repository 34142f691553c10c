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
 * (key, the entry's IP and TCP port), the only place a {@code ConnectRequest} may be forwarded to, and the session
 * key with the announcer, which the forwarded introduction is tagged under. Lives as long as the entry (the TTL,
 * renewed by each announcement) and holds at most {@code capacity} (the oldest go first).
 */
public final class AnnouncerEndpoints {
    private record Entry(NodeId key, InetSocketAddress peer) {}

    /** Where an announcer sends from, and the session key this node shares with it. */
    public static final class Announcer {
        private final InetSocketAddress udp;
        private final byte[] session;

        Announcer(InetSocketAddress udp, byte[] session) {
            this.udp = udp;
            this.session = session.clone();
        }

        public InetSocketAddress udp() {
            return udp;
        }

        public byte[] session() {
            return session.clone();
        }
    }

    private record Endpoint(Announcer announcer, Instant expires) {}

    private final InstantSource clock;
    private final Duration ttl;
    private final int capacity;
    private final LinkedHashMap<Entry, Endpoint> endpoints = new LinkedHashMap<>();

    public AnnouncerEndpoints(InstantSource clock, Duration ttl, int capacity) {
        this.clock = clock;
        this.ttl = ttl;
        this.capacity = capacity;
    }

    /** An announcement of {@code peer} under {@code key} came from {@code udp}, sharing {@code session} with us. */
    public void announced(NodeId key, InetSocketAddress peer, InetSocketAddress udp, byte[] session) {
        Entry entry = new Entry(key, peer);
        endpoints.remove(entry);
        endpoints.put(entry, new Endpoint(new Announcer(udp, session), clock.instant().plus(ttl)));
        if (endpoints.size() > capacity) {
            Iterator<Entry> oldest = endpoints.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public void withdrawn(NodeId key, InetSocketAddress peer) {
        endpoints.remove(new Entry(key, peer));
    }

    /** The announcer of {@code peer} under {@code key}, while its entry lives. */
    public Optional<Announcer> announcerOf(NodeId key, InetSocketAddress peer) {
        Endpoint e = endpoints.get(new Entry(key, peer));
        return e == null || e.expires().isBefore(clock.instant()) ? Optional.empty() : Optional.of(e.announcer());
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
