package dev.kadshare.dht;

import java.util.Map;

/** A snapshot of a DHT node's routing-table size and counters (routing.*, rpc.*, lookup.*, store.*, dropped.*; see the module README). */
public record DhtStatus(int routingTableSize, Map<String, Long> counters) {
    public DhtStatus {
        counters = Map.copyOf(counters);
    }

    /** The named counter, 0 if it never moved. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }
}
