package dev.kadshare.dht.store;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Announced peers per key, each with an expiry. Bounded per key (the oldest announcement makes room)
 * and in total (new keys are refused when full). Not thread-safe: owned by the node's event loop.
 */
public final class PeerStore {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);

    /** What {@link #put} did. */
    public enum Outcome { STORED, REFRESHED, STORE_FULL }

    private final InstantSource clock;
    private final Duration ttl;
    private final int maxPerKey;
    private final int maxTotal;
    /** Per key, insertion order is announcement order, so the first entry is the stalest. */
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Instant>> byKey = new HashMap<>();
    private int total;

    public PeerStore(InstantSource clock, Duration ttl, int maxPerKey, int maxTotal) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
    }

    public Outcome put(NodeId key, InetSocketAddress peer) {
        Instant expiry = clock.instant().plus(ttl);
        LinkedHashMap<InetSocketAddress, Instant> peers = byKey.get(key);
        if (peers != null && peers.remove(peer) != null) {
            peers.put(peer, expiry);
            return Outcome.REFRESHED;
        }
        if (total >= maxTotal) {
            purgeExpired();
            if (total >= maxTotal) {
                return Outcome.STORE_FULL;
            }
        }
        peers = byKey.computeIfAbsent(key, k -> new LinkedHashMap<>());
        if (peers.size() >= maxPerKey) {
            Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
            oldest.next();
            oldest.remove();
            total--;
        }
        peers.put(peer, expiry);
        total++;
        return Outcome.STORED;
    }

    /** Up to {@code limit} live peers for {@code key}, most recently announced first. */
    public List<InetSocketAddress> get(NodeId key, int limit) {
        LinkedHashMap<InetSocketAddress, Instant> peers = byKey.get(key);
        if (peers == null) {
            return List.of();
        }
        Instant present = clock.instant();
        List<InetSocketAddress> live = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Instant> e : peers.entrySet()) {
            if (e.getValue().isAfter(present)) {
                live.add(e.getKey());
            }
        }
        List<InetSocketAddress> newestFirst = new ArrayList<>(live.size());
        for (int i = live.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            newestFirst.add(live.get(i));
        }
        return newestFirst;
    }

    /** Drops every expired announcement; the node calls this periodically. */
    public void purgeExpired() {
        Instant present = clock.instant();
        Iterator<LinkedHashMap<InetSocketAddress, Instant>> keys = byKey.values().iterator();
        while (keys.hasNext()) {
            LinkedHashMap<InetSocketAddress, Instant> peers = keys.next();
            Iterator<Instant> expiries = peers.values().iterator();
            while (expiries.hasNext()) {
                if (!expiries.next().isAfter(present)) {
                    expiries.remove();
                    total--;
                }
            }
            if (peers.isEmpty()) {
                keys.remove();
            }
        }
    }

    public int size() {
        return total;
    }
}
