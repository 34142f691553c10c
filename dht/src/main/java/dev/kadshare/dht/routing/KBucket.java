package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Up to k contacts of one distance range, least-recently-seen first, plus a replacement cache of up to k
 * contacts that answered while the bucket was full; the freshest of them takes the place of a contact
 * that is dropped.
 */
final class KBucket {
    private final int k;
    private final int maxPerIp;
    /** Insertion order is the recency order: re-inserting on every answer keeps the oldest first. */
    private final LinkedHashMap<NodeId, Entry> entries = new LinkedHashMap<>();
    /** Same order: the last one is the most recently seen, the first to be promoted. Made when first needed. */
    private LinkedHashMap<NodeId, Contact> replacements;
    private Instant lastTouched;

    private static final class Entry {
        Contact contact;
        int failures;

        Entry(Contact contact) {
            this.contact = contact;
        }
    }

    KBucket(int k, int maxPerIp, Instant createdAt) {
        this.k = k;
        this.maxPerIp = maxPerIp;
        this.lastTouched = createdAt;
    }

    Admission recordAnswer(Contact contact, Instant now) {
        lastTouched = now;
        Entry known = entries.remove(contact.id());
        if (known != null) {
            known.contact = contact; // the address it answered from is the one that works now
            known.failures = 0;
            entries.put(contact.id(), known);
            return Admission.REFRESHED;
        }
        if (exceedsIpLimit(contact)) {
            return Admission.IP_LIMIT;
        }
        if (entries.size() >= k) {
            if (replacements == null) {
                replacements = new LinkedHashMap<>();
            }
            replacements.remove(contact.id());
            replacements.put(contact.id(), contact);
            if (replacements.size() > k) {
                Iterator<NodeId> oldest = replacements.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            return Admission.BUCKET_FULL;
        }
        if (replacements != null) {
            replacements.remove(contact.id());
        }
        entries.put(contact.id(), new Entry(contact));
        return Admission.ADDED;
    }

    /**
     * Counts a failed request; the contact is dropped once it failed {@code maxFailures} times in a row,
     * and the freshest replacement takes its place. Returns whether it was dropped.
     */
    boolean recordFailure(NodeId id, int maxFailures) {
        Entry e = entries.get(id);
        if (e == null) {
            if (replacements != null) {
                replacements.remove(id); // a replacement that failed is no better than none
            }
            return false;
        }
        if (++e.failures >= maxFailures) {
            remove(id);
            return true;
        }
        return false;
    }

    /** Drops a contact and promotes the freshest replacement, if any. */
    boolean remove(NodeId id) {
        if (entries.remove(id) == null) {
            return false;
        }
        promoteReplacement();
        return true;
    }

    private void promoteReplacement() {
        if (replacements == null) {
            return;
        }
        List<Contact> newestFirst = new ArrayList<>(replacements.values());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Contact c = newestFirst.get(i);
            replacements.remove(c.id());
            if (!exceedsIpLimit(c)) {
                entries.put(c.id(), new Entry(c));
                return;
            }
        }
    }

    private boolean exceedsIpLimit(Contact contact) {
        InetAddress ip = contact.address().getAddress();
        if (maxPerIp <= 0 || ip == null || ip.isLoopbackAddress()) {
            return false;
        }
        int same = 0;
        for (Entry e : entries.values()) {
            if (ip.equals(e.contact.address().getAddress()) && ++same >= maxPerIp) {
                return true;
            }
        }
        return false;
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

    void addContactsTo(List<Contact> into) {
        for (Entry e : entries.values()) {
            into.add(e.contact);
        }
    }

    int size() {
        return entries.size();
    }

    int replacementCount() {
        return replacements == null ? 0 : replacements.size();
    }

    Instant lastTouched() {
        return lastTouched;
    }

    void touch(Instant now) {
        lastTouched = now;
    }

}
