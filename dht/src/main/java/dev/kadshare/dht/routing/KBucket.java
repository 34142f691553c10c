package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.Subnet;
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
    private final AdmissionLimits limits;
    /** The whole table's count per network, which this bucket keeps up to date for its own contacts. */
    private final SubnetCounts tableSubnets;
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

    KBucket(int k, AdmissionLimits limits, SubnetCounts tableSubnets, Instant createdAt) {
        this.k = k;
        this.limits = limits;
        this.tableSubnets = tableSubnets;
        this.lastTouched = createdAt;
    }

    Admission recordAnswer(Contact contact, Instant now) {
        lastTouched = now;
        Entry known = entries.remove(contact.id());
        if (known != null) {
            uncount(known.contact);
            count(contact);
            known.contact = contact; // the address it answered from is the one that works now
            known.failures = 0;
            entries.put(contact.id(), known);
            return Admission.REFRESHED;
        }
        if (exceedsLimits(contact)) {
            return Admission.SUBNET_LIMIT;
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
        count(contact);
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
        Entry removed = entries.remove(id);
        if (removed == null) {
            return false;
        }
        uncount(removed.contact);
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
            if (!exceedsLimits(c)) {
                entries.put(c.id(), new Entry(c));
                count(c);
                return;
            }
        }
    }

    /** Whether a contact's network already has all the places the limits give it, in this bucket or the table. */
    private boolean exceedsLimits(Contact contact) {
        InetAddress ip = contact.address().getAddress();
        if (!limits.counts(ip)) {
            return false;
        }
        Subnet subnet = Subnet.of(ip);
        if (limits.perTable() > 0 && tableSubnets.count(SubnetCounts.key(subnet)) >= limits.perTable()) {
            return true;
        }
        if (limits.perBucket() <= 0) {
            return false;
        }
        int same = 0;
        for (Entry e : entries.values()) {
            InetAddress other = e.contact.address().getAddress();
            if (other != null && subnet.equals(Subnet.of(other)) && ++same >= limits.perBucket()) {
                return true;
            }
        }
        return false;
    }

    private void count(Contact contact) {
        InetAddress ip = contact.address().getAddress();
        if (limits.counts(ip)) {
            tableSubnets.add(SubnetCounts.key(Subnet.of(ip)));
        }
    }

    private void uncount(Contact contact) {
        InetAddress ip = contact.address().getAddress();
        if (limits.counts(ip)) {
            tableSubnets.remove(SubnetCounts.key(Subnet.of(ip)));
        }
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
