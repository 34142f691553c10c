package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** Up to k contacts of one distance range, least-recently-seen first. */
final class KBucket {
    private final int k;
    /** Insertion order is the recency order: re-inserting on every answer keeps the oldest first. */
    private final LinkedHashMap<NodeId, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        Contact contact;
        int failures;

        Entry(Contact contact) {
            this.contact = contact;
        }
    }

    KBucket(int k) {
        this.k = k;
    }

    Admission recordAnswer(Contact contact) {
        Entry known = entries.remove(contact.id());
        if (known != null) {
            known.contact = contact; // the address it answered from is the one that works now
            known.failures = 0;
            entries.put(contact.id(), known);
            return Admission.REFRESHED;
        }
        if (entries.size() >= k) {
            return Admission.BUCKET_FULL;
        }
        entries.put(contact.id(), new Entry(contact));
        return Admission.ADDED;
    }

    /** Counts a failed request; the contact is dropped once it failed {@code maxFailures} times in a row. */
    boolean recordFailure(NodeId id, int maxFailures) {
        Entry e = entries.get(id);
        if (e == null) {
            return false;
        }
        if (++e.failures >= maxFailures) {
            entries.remove(id);
            return true;
        }
        return false;
    }

    boolean remove(NodeId id) {
        return entries.remove(id) != null;
    }

    boolean contains(NodeId id) {
        return entries.containsKey(id);
    }

    boolean isFull() {
        return entries.size() >= k;
    }

    Optional<Contact> leastRecentlySeen() {
        Iterator<Entry> it = entries.values().iterator();
        return it.hasNext() ? Optional.of(it.next().contact) : Optional.empty();
    }

    List<Contact> contacts() {
        List<Contact> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            out.add(e.contact);
        }
        return out;
    }

    int size() {
        return entries.size();
    }
}
