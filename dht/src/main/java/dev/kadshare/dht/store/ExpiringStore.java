package dev.kadshare.dht.store;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.HostPrefix;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values per key, each with an expiry and the source that stored it, bounded so that no one source can crowd the
 * others out, a source being a host ({@link HostPrefix}: an IPv4 address, a public IPv6 /64, in which a host may store
 * from a fresh address each time): per key a value's slot holds one value (a newer one replaces it, charged to the
 * slot's holder), at most {@link Limits#perKeyPerSource} values of one source per key (its oldest makes room), at most
 * {@link Limits#perSource} across all keys, and when a key or the whole store is full the value that goes is one of
 * the source holding the most, never the newcomer's place by default. Not thread-safe: owned by the node's event
 * loop.
 */
public abstract sealed class ExpiringStore<V> permits PeerStore, RecordStore {
    /** What {@link #put} did; the refusals name why. */
    public enum Outcome {
        STORED, REFRESHED,
        /** The slot holds a value this one does not supersede (an older sequence number). */
        STALE,
        /** The source already holds its quota of values across all keys. */
        SOURCE_QUOTA,
        /** The store is full and the source already holds at least as many values as any other. */
        STORE_FULL;

        public boolean accepted() {
            return this == STORED || this == REFRESHED;
        }
    }

    /** The bounds of a store: per key, per key and source, per source and in total. */
    public record Limits(int perKey, int perKeyPerSource, int perSource, int total) {
        public Limits {
            if (perKey < 1 || perKeyPerSource < 1 || perSource < 1 || total < 1) {
                throw new IllegalArgumentException("store limits must be positive: " + perKey + "/" + perKeyPerSource
                        + "/" + perSource + "/" + total);
            }
        }
    }

    private record Entry<V>(V value, Instant expiry, InetSocketAddress source) {
    }

    private record Held(NodeId key, Object slot) {
    }

    private final InstantSource clock;
    private final Duration ttl;
    private final Limits limits;
    /** Per key, per slot; insertion order is storing order, so the first entry is the stalest. */
    private final Map<NodeId, LinkedHashMap<Object, Entry<V>>> byKey = new HashMap<>();
    /** What each source holds, oldest first. */
    private final Map<InetSocketAddress, LinkedHashSet<Held>> bySource = new HashMap<>();
    private int total;
    private long evictions;

    protected ExpiringStore(InstantSource clock, Duration ttl, Limits limits) {
        this.clock = clock;
        this.ttl = ttl;
        this.limits = limits;
    }

    /** The slot {@code value} takes under its key: one value per slot. */
    protected abstract Object slotOf(V value, InetSocketAddress source);

    /** Whether {@code newer} may replace {@code older} in the same slot. */
    protected boolean supersedes(V newer, V older) {
        return true;
    }

    /** Stores with the full TTL. */
    public Outcome put(NodeId key, V value, InetSocketAddress source) {
        return put(key, value, source, ttl);
    }

    /**
     * Stores with a lifetime of {@code requested}, capped at the store's TTL: a replica handed on keeps
     * the original's remaining lifetime, so copying a value around never keeps it alive. A refresh never
     * shortens a lifetime. {@code source} is who stored it: an IP with port 0, or a whole address where one
     * host may run several nodes (a one-machine test network).
     */
    public Outcome put(NodeId key, V value, InetSocketAddress source, Duration requested) {
        Instant now = clock.instant();
        Instant expiry = now.plus(requested.compareTo(ttl) < 0 ? requested : ttl);
        Object slot = slotOf(value, source);
        LinkedHashMap<Object, Entry<V>> values = byKey.get(key);
        Entry<V> known = values == null ? null : values.get(slot);
        if (known != null && known.value().equals(value)) {
            values.remove(slot);
            values.put(slot, new Entry<>(value, known.expiry().isAfter(expiry) ? known.expiry() : expiry, known.source()));
            return Outcome.REFRESHED;
        }
        InetSocketAddress holder = holderOf(source);
        if (known != null) {
            if (!supersedes(value, known.value())) {
                return Outcome.STALE;
            }
            // A replacement takes the slot's place and stays charged to its holder: charged to whoever sent it,
            // unchecked, it let one source take its own slots over from another address, past every quota.
            holder = known.source();
            removeSlot(key, slot);
        } else {
            Outcome room = makeRoom(key, holder);
            if (room != Outcome.STORED) {
                return room;
            }
        }
        byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(slot, new Entry<>(value, expiry, holder));
        bySource.computeIfAbsent(holder, s -> new LinkedHashSet<>()).add(new Held(key, slot));
        total++;
        return Outcome.STORED;
    }

    /** Frees a place for one more value of {@code source} under {@code key}, or says why there is none. */
    private Outcome makeRoom(NodeId key, InetSocketAddress source) {
        LinkedHashMap<Object, Entry<V>> values = byKey.getOrDefault(key, new LinkedHashMap<>());
        int underKey = 0;
        Object oldestOfSource = null;
        for (Map.Entry<Object, Entry<V>> e : values.entrySet()) {
            if (e.getValue().source().equals(source)) {
                oldestOfSource = underKey++ == 0 ? e.getKey() : oldestOfSource;
            }
        }
        if (underKey >= limits.perKeyPerSource()) {
            evict(key, oldestOfSource); // the source's own newer value takes the place of its oldest
            return Outcome.STORED;
        }
        if (held(source) >= limits.perSource()) {
            return Outcome.SOURCE_QUOTA;
        }
        if (values.size() >= limits.perKey()) {
            evict(key, heaviestUnder(values));
        }
        if (total >= limits.total()) {
            purgeExpired();
        }
        if (total >= limits.total()) {
            InetSocketAddress heaviest = heaviestSource();
            if (held(heaviest) <= held(source)) {
                return Outcome.STORE_FULL;
            }
            Held oldest = bySource.get(heaviest).iterator().next();
            evict(oldest.key(), oldest.slot());
        }
        return Outcome.STORED;
    }

    /** The slot under a full key to free: that of the source with the most values there, then store-wide; oldest first. */
    private Object heaviestUnder(LinkedHashMap<Object, Entry<V>> values) {
        Map<InetSocketAddress, Integer> counts = new HashMap<>();
        values.values().forEach(e -> counts.merge(e.source(), 1, Integer::sum));
        Object victim = null;
        long best = -1;
        for (Map.Entry<Object, Entry<V>> e : values.entrySet()) {
            InetSocketAddress s = e.getValue().source();
            long score = (long) counts.get(s) * (limits.total() + 1L) + held(s);
            if (score > best) {
                best = score;
                victim = e.getKey();
            }
        }
        return victim;
    }

    private InetSocketAddress heaviestSource() {
        InetSocketAddress heaviest = null;
        int most = -1;
        for (Map.Entry<InetSocketAddress, LinkedHashSet<Held>> e : bySource.entrySet()) {
            if (e.getValue().size() > most) {
                most = e.getValue().size();
                heaviest = e.getKey();
            }
        }
        return heaviest;
    }

    private int held(InetSocketAddress source) {
        LinkedHashSet<Held> held = bySource.get(source);
        return held == null ? 0 : held.size();
    }

    private void evict(NodeId key, Object slot) {
        removeSlot(key, slot);
        evictions++;
    }

    /** Removes what one slot holds, with its source's bookkeeping. */
    private void removeSlot(NodeId key, Object slot) {
        LinkedHashMap<Object, Entry<V>> values = byKey.get(key);
        Entry<V> gone = values == null ? null : values.remove(slot);
        if (gone == null) {
            return;
        }
        total--;
        if (values.isEmpty()) {
            byKey.remove(key);
        }
        LinkedHashSet<Held> held = bySource.get(gone.source());
        held.remove(new Held(key, slot));
        if (held.isEmpty()) {
            bySource.remove(gone.source());
        }
    }

    /** How long {@code value} still lives under {@code key}; zero if it is not (or no longer) stored. */
    public Duration remainingLifetime(NodeId key, V value) {
        Entry<V> entry = find(key, value);
        Instant now = clock.instant();
        return entry == null || !entry.expiry().isAfter(now) ? Duration.ZERO : Duration.between(now, entry.expiry());
    }

    private Entry<V> find(NodeId key, V value) {
        LinkedHashMap<Object, Entry<V>> values = byKey.get(key);
        if (values != null) {
            for (Entry<V> e : values.values()) {
                if (e.value().equals(value)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** Forgets one value, e.g. our own announcement when we withdraw it. */
    public void remove(NodeId key, V value) {
        LinkedHashMap<Object, Entry<V>> values = byKey.get(key);
        if (values == null) {
            return;
        }
        values.entrySet().stream().filter(e -> e.getValue().value().equals(value)).map(Map.Entry::getKey)
                .findFirst().ifPresent(slot -> removeSlot(key, slot));
    }

    /** Up to {@code limit} live values for {@code key}, most recently stored first. */
    public List<V> get(NodeId key, int limit) {
        LinkedHashMap<Object, Entry<V>> values = byKey.get(key);
        if (values == null) {
            return List.of();
        }
        Instant present = clock.instant();
        List<V> live = new ArrayList<>();
        for (Entry<V> e : values.values()) {
            if (e.expiry().isAfter(present)) {
                live.add(e.value());
            }
        }
        List<V> newestFirst = new ArrayList<>(Math.min(limit, live.size()));
        for (int i = live.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            newestFirst.add(live.get(i));
        }
        return newestFirst;
    }

    /** Drops every expired value; the node calls this periodically. */
    public void purgeExpired() {
        Instant present = clock.instant();
        List<Held> expired = new ArrayList<>();
        byKey.forEach((key, values) -> values.forEach((slot, e) -> {
            if (!e.expiry().isAfter(present)) {
                expired.add(new Held(key, slot));
            }
        }));
        expired.forEach(h -> removeSlot(h.key(), h.slot()));
    }

    /** Keys that hold at least one value (some possibly expired until the next purge). */
    public Set<NodeId> keys() {
        return Set.copyOf(byKey.keySet());
    }

    public int size() {
        return total;
    }

    /** Values {@code source}'s host holds, over all keys. */
    public int heldBy(InetSocketAddress source) {
        return held(holderOf(source));
    }

    /**
     * Whom a store from {@code source} is charged to: a whole address stays one (a one-machine network's nodes share
     * an IP), an IP with port 0 is charged to its host.
     */
    private static InetSocketAddress holderOf(InetSocketAddress source) {
        return source.getPort() != 0 ? source : new InetSocketAddress(HostPrefix.of(source.getAddress()).address(), 0);
    }

    /** Values pushed out so far to make room for another source's (a gauge of flooding). */
    public long evictions() {
        return evictions;
    }

    /** How many values sources in {@code group} hold, e.g. the share of the store an attacker got. */
    public int heldByAny(java.util.function.Predicate<InetSocketAddress> group) {
        int n = 0;
        for (Map.Entry<InetSocketAddress, LinkedHashSet<Held>> e : bySource.entrySet()) {
            if (group.test(e.getKey())) {
                n += e.getValue().size();
            }
        }
        return n;
    }
}
