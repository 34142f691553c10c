package dev.kadshare.transfer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Connections refused or closed by this node, counted by reason; shared by a node's server and downloads, thread-safe. */
public final class ConnectionDrops {
    private final Map<ConnectionDrop, LongAdder> counts = new EnumMap<>(ConnectionDrop.class);

    public ConnectionDrops() {
        for (ConnectionDrop drop : ConnectionDrop.values()) {
            counts.put(drop, new LongAdder());
        }
    }

    public void record(ConnectionDrop drop) {
        counts.get(drop).increment();
    }

    public long count(ConnectionDrop drop) {
        return counts.get(drop).sum();
    }

    /** Every reason with its count so far, in declaration order. */
    public Map<ConnectionDrop, Long> snapshot() {
        Map<ConnectionDrop, Long> out = new EnumMap<>(ConnectionDrop.class);
        counts.forEach((drop, n) -> out.put(drop, n.sum()));
        return out;
    }
}
