package dev.kadshare.node.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * A counter that only grows, made from per-key figures that each grow but may vanish (a transfer removed, a peer
 * forgotten): each look adds what every key grew by since the last look, so removing one never makes the sum fall.
 * What a key gained between its last look and its removal is not counted.
 */
final class MonotonicTotal {
    private final Map<String, Long> last = new HashMap<>();
    private long total;

    /** The total after adding how much each of {@code current}'s figures grew since the last look. */
    synchronized long update(Map<String, Long> current) {
        for (Map.Entry<String, Long> e : current.entrySet()) {
            long before = last.getOrDefault(e.getKey(), 0L);
            // A figure that fell (a restarted attempt counting afresh) starts over from its new value.
            total += e.getValue() >= before ? e.getValue() - before : e.getValue();
        }
        last.clear();
        last.putAll(current);
        return total;
    }
}
