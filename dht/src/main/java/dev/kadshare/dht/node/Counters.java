package dev.kadshare.dht.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Named counters, written by the node's thread and readable from any thread. */
public final class Counters {
    private final ConcurrentHashMap<String, AtomicLong> values = new ConcurrentHashMap<>();

    public void increment(String name) {
        counter(name).incrementAndGet();
    }

    public void add(String name, long delta) {
        counter(name).addAndGet(delta);
    }

    /** For gauges such as the routing-table size. */
    public void set(String name, long value) {
        counter(name).set(value);
    }

    /**
     * A new counter is kept under the interned name: names are mostly built per call ("rpc.received." + type), and
     * every node of a large simulation holding its own copies of the same few dozen names cost it most of a KiB a node.
     */
    private AtomicLong counter(String name) {
        AtomicLong v = values.get(name);
        return v != null ? v : values.computeIfAbsent(name.intern(), n -> new AtomicLong());
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
