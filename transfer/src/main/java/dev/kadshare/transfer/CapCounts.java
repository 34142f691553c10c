package dev.kadshare.transfer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A count per key of what each holds (connections a host or a content has at a server, circuits or reservations a host
 * has at a relay), within one cap per key; a key at none is not kept. Not thread-safe: its owner serialises calls.
 */
public final class CapCounts<K> {
    private final int cap;
    private final Map<K, Integer> counts = new HashMap<>();

    public CapCounts(int cap) {
        this.cap = cap;
    }

    /** Whether {@code key} can hold one more within the cap. */
    public boolean fits(K key) {
        return fits(List.of(key));
    }

    /** Whether each key of {@code keys} can hold as many more as it appears there, within the cap. */
    public boolean fits(List<K> keys) {
        for (K key : keys) {
            long more = keys.stream().filter(key::equals).count();
            if (counts.getOrDefault(key, 0) + more > cap) {
                return false;
            }
        }
        return true;
    }

    /** Counts one more against {@code key}. */
    public void add(K key) {
        count(List.of(key), 1);
    }

    /** Counts one fewer against {@code key}, if it holds any. */
    public void remove(K key) {
        count(List.of(key), -1);
    }

    /** Counts {@code by} more (or fewer, never below none) against each key of {@code keys}. */
    public void count(List<K> keys, int by) {
        for (K key : keys) {
            counts.computeIfPresent(key, (k, n) -> n + by <= 0 ? null : n + by);
            if (by > 0) {
                counts.putIfAbsent(key, by);
            }
        }
    }
}
