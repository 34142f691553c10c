package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.RecordValue;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What this node has published itself: announcements (key -> port) and records (key -> the most recent
 * values, at most {@code maxRecordsPerKey}); the node renews them until they are withdrawn.
 */
final class Publications {
    /** What one withdrawal took back. */
    record Withdrawn(Optional<Integer> port, List<RecordValue> values) {
    }

    private final int maxRecordsPerKey;
    private final Map<NodeId, Integer> announcements = new LinkedHashMap<>();
    private final Map<NodeId, LinkedHashSet<RecordValue>> records = new LinkedHashMap<>();

    Publications(int maxRecordsPerKey) {
        this.maxRecordsPerKey = maxRecordsPerKey;
    }

    void announced(NodeId key, int port) {
        announcements.put(key, port);
    }

    /** Records a put; beyond the per-key bound the oldest value is no longer renewed, as stores drop it too. */
    void put(NodeId key, RecordValue value) {
        LinkedHashSet<RecordValue> values = records.computeIfAbsent(key, k -> new LinkedHashSet<>());
        values.removeIf(v -> v.slot().equals(value.slot())); // a newer version of a record replaces it
        values.add(value);
        if (values.size() > maxRecordsPerKey) {
            Iterator<RecordValue> oldest = values.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    Withdrawn withdraw(NodeId key) {
        LinkedHashSet<RecordValue> values = records.remove(key);
        return new Withdrawn(Optional.ofNullable(announcements.remove(key)),
                values == null ? List.of() : List.copyOf(values));
    }

    boolean announces(NodeId key) {
        return announcements.containsKey(key);
    }

    boolean announcesAny() {
        return !announcements.isEmpty();
    }

    void forEachAnnouncement(BiConsumer<NodeId, Integer> action) {
        announcements.forEach(action);
    }

    void forEachRecord(BiConsumer<NodeId, RecordValue> action) {
        records.forEach((key, values) -> values.forEach(value -> action.accept(key, value)));
    }
}
