package dev.kadshare.dht;

import dev.kadshare.dht.reach.Reachability;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a DHT node's routing-table size, counters (routing.*, rpc.*, lookup.*, store.*, dropped.*; see the
 * module README) and what it learnt of its own address from others' observations.
 */
public record DhtStatus(int routingTableSize, Map<String, Long> counters, Reachability reachability) {
    public DhtStatus {
        counters = Map.copyOf(counters);
        Objects.requireNonNull(reachability);
    }

    /** The named counter, 0 if it never moved. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
