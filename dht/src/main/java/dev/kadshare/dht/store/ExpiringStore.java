package dev.kadshare.dht.store;

import dev.kadshare.dht.id.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values per key, each with an expiry. Bounded per key (the oldest value makes room, so the most recent
 * are kept) and in total (new values are refused when full). Not thread-safe: owned by the node's event loop.
 */
public sealed class ExpiringStore<V> permits PeerStore, RecordStore {
    /** What {@link #put} did. */
    public enum Outcome { STORED, REFRESHED, STORE_FULL }

    private final InstantSource clock;
    private final Duration ttl;
    private final int maxPerKey;
    private final int maxTotal;
    /** Per key, insertion order is storing order, so the first entry is the stalest. */
    private final Map<NodeId, LinkedHashMap<V, Instant>> byKey = new HashMap<>();
    private int total;

    public ExpiringStore(InstantSource clock, Duration ttl, int maxPerKey, int maxTotal) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
    }

    public Outcome put(NodeId key, V value) {
        return put(key, value, ttl);
    }

    /**
     * Stores with a lifetime of {@code requested}, capped at the store's TTL: a replica handed on keeps
     * the original's remaining lifetime, so copying a value around never keeps it alive. A refresh never
     * shortens a lifetime.
     */
    public Outcome put(NodeId key, V value, Duration requested) {
        Instant now = clock.instant();
        Instant expiry = now.plus(requested.compareTo(ttl) < 0 ? requested : ttl);
        LinkedHashMap<V, Instant> values = byKey.get(key);
        Instant known = values == null ? null : values.remove(value);
        if (known != null) {
            values.put(value, known.isAfter(expiry) ? known : expiry);
            return Outcome.REFRESHED;
        }
        if (total >= maxTotal) {
            purgeExpired();
            if (total >= maxTotal) {
                return Outcome.STORE_FULL;
            }
        }
        values = byKey.computeIfAbsent(key, k -> new LinkedHashMap<>());
        if (values.size() >= maxPerKey) {
            Iterator<V> oldest = values.keySet().iterator();
            oldest.next();
            oldest.remove();
            total--;
        }
        values.put(value, expiry);
        total++;
        return Outcome.STORED;
    }

    /** How long {@code value} still lives under {@code key}; zero if it is not (or no longer) stored. */
    public Duration remainingLifetime(NodeId key, V value) {
        LinkedHashMap<V, Instant> values = byKey.get(key);
        Instant expiry = values == null ? null : values.get(value);
        Instant now = clock.instant();
        return expiry == null || !expiry.isAfter(now) ? Duration.ZERO : Duration.between(now, expiry);
    }

    /** Forgets one value, e.g. our own announcement when we withdraw it. */
    public void remove(NodeId key, V value) {
        LinkedHashMap<V, Instant> values = byKey.get(key);
        if (values != null && values.remove(value) != null) {
            total--;
            if (values.isEmpty()) {
                byKey.remove(key);
            }
        }
    }

    /** Up to {@code limit} live values for {@code key}, most recently stored first. */
    public List<V> get(NodeId key, int limit) {
        LinkedHashMap<V, Instant> values = byKey.get(key);
        if (values == null) {
            return List.of();
        }
        Instant present = clock.instant();
        List<V> live = new ArrayList<>();
        for (Map.Entry<V, Instant> e : values.entrySet()) {
            if (e.getValue().isAfter(present)) {
                live.add(e.getKey());
            }
        }
        List<V> newestFirst = new ArrayList<>(live.size());
        for (int i = live.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            newestFirst.add(live.get(i));
        }
        return newestFirst;
    }

    /** Drops every expired value; the node calls this periodically. */
    public void purgeExpired() {
        Instant present = clock.instant();
        Iterator<LinkedHashMap<V, Instant>> keys = byKey.values().iterator();
        while (keys.hasNext()) {
            LinkedHashMap<V, Instant> values = keys.next();
            Iterator<Instant> expiries = values.values().iterator();
            while (expiries.hasNext()) {
                if (!expiries.next().isAfter(present)) {
                    expiries.remove();
                    total--;
                }
            }
            if (values.isEmpty()) {
                keys.remove();
            }
        }
    }

    /** Keys that hold at least one value (some possibly expired until the next purge). */
    public Set<NodeId> keys() {
        return Set.copyOf(byKey.keySet());
    }

    public int size() {
        return total;
    }
}
