package dev.kadshare.dht.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Named counters, written by the node's thread and readable from any thread. */
public final class Counters {
    private final ConcurrentHashMap<String, AtomicLong> values = new ConcurrentHashMap<>();

    public void increment(String name) {
        values.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    public void add(String name, long delta) {
        values.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta);
    }

    /** For gauges such as the routing-table size. */
    public void set(String name, long value) {
        values.computeIfAbsent(name, n -> new AtomicLong()).set(value);
    }

    public long get(String name) {
        AtomicLong v = values.get(name);
        return v == null ? 0 : v.get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
