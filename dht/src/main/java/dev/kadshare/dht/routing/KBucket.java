package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.Subnet;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Least recently seen first: moving a contact to the end on every answer keeps that order. */
    private final Recency entries = new Recency();
    /** Same order: the last one is the most recently seen, the first to be promoted. Made when first needed. */
    private Recency replacements;
    private Instant lastTouched;

    /**
     * Contacts in recency order, each with its count of failed requests in a row: two arrays of at most k, searched
     * by id. A linked hash map cost a large simulation an entry object, a node object and a table per bucket, most
     * of a routing table's memory; at k = 20 a scan finds an id as fast.
     */
    private static final class Recency {
        private static final Contact[] NO_CONTACTS = new Contact[0];
        private static final int[] NO_FAILURES = new int[0];
        private Contact[] contacts = NO_CONTACTS;
        private int[] failures = NO_FAILURES;
        private int size;

        int indexOf(NodeId id) {
            for (int i = 0; i < size; i++) {
                if (contacts[i].id().equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        Contact get(int i) {
            return contacts[i];
        }

        int failures(int i) {
            return failures[i];
        }

        int size() {
            return size;
        }

        /** Appends as the most recently seen, with {@code failures}. */
        void add(Contact contact, int failures) {
            if (size == contacts.length) {
                int capacity = Math.max(4, 2 * size);
                contacts = Arrays.copyOf(contacts, capacity);
                this.failures = Arrays.copyOf(this.failures, capacity);
            }
            contacts[size] = contact;
            this.failures[size] = failures;
            size++;
        }

        Contact removeAt(int i) {
            Contact removed = contacts[i];
            System.arraycopy(contacts, i + 1, contacts, i, size - i - 1);
            System.arraycopy(failures, i + 1, failures, i, size - i - 1);
            contacts[--size] = null;
            return removed;
        }

        /** Removes the contact with {@code id}, if held; returns it, or null. */
        Contact remove(NodeId id) {
            int i = indexOf(id);
            return i < 0 ? null : removeAt(i);
        }

        void setFailures(int i, int count) {
            failures[i] = count;
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
        int at = entries.indexOf(contact.id());
        if (at >= 0) {
            Contact known = entries.get(at);
            // An id binds at many addresses (the id rule masks them), so an answer from another network is admitted
            // there like a newcomer: moved unchecked, contacts let in from one block went on to crowd another's.
            if (!sameNetwork(known, contact) && exceedsLimits(contact)) {
                return Admission.SUBNET_LIMIT;
            }
            entries.removeAt(at);
            uncount(known);
            count(contact);
            // The address it answered from is the one that works now; answering clears its failures.
            entries.add(contact, 0);
            return Admission.REFRESHED;
        }
        if (exceedsLimits(contact)) {
            return Admission.SUBNET_LIMIT;
        }
        if (entries.size() >= k) {
            if (replacements == null) {
                replacements = new Recency();
            }
            replacements.remove(contact.id());
            replacements.add(contact, 0);
            if (replacements.size() > k) {
                replacements.removeAt(0);
            }
            return Admission.BUCKET_FULL;
        }
        if (replacements != null) {
            replacements.remove(contact.id());
        }
        entries.add(contact, 0);
        count(contact);
        return Admission.ADDED;
    }

    /**
     * Counts a failed request; the contact is dropped once it failed {@code maxFailures} times in a row,
     * and the freshest replacement takes its place. Returns whether it was dropped.
     */
    boolean recordFailure(NodeId id, int maxFailures) {
        int i = entries.indexOf(id);
        if (i < 0) {
            if (replacements != null) {
                replacements.remove(id); // a replacement that failed is no better than none
            }
            return false;
        }
        int failures = entries.failures(i) + 1;
        entries.setFailures(i, failures);
        if (failures >= maxFailures) {
            remove(id);
            return true;
        }
        return false;
    }

    /** Drops a contact and promotes the freshest replacement, if any. */
    boolean remove(NodeId id) {
        Contact removed = entries.remove(id);
        if (removed == null) {
            return false;
        }
        uncount(removed);
        promoteReplacement();
        return true;
    }

    private void promoteReplacement() {
        if (replacements == null) {
            return;
        }
        for (int i = replacements.size() - 1; i >= 0; i--) {
            Contact c = replacements.get(i);
            replacements.removeAt(i);
            if (!exceedsLimits(c)) {
                entries.add(c, 0);
                count(c);
                return;
            }
        }
    }

    private static boolean sameNetwork(Contact a, Contact b) {
        InetAddress from = a.address().getAddress();
        InetAddress to = b.address().getAddress();
        return from != null && to != null && Subnet.of(from).equals(Subnet.of(to));
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
        for (int i = 0; i < entries.size(); i++) {
            InetAddress other = entries.get(i).address().getAddress();
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
        return entries.indexOf(id) >= 0;
    }

    boolean isFull() {
        return entries.size() >= k;
    }

    Optional<Contact> leastRecentlySeen() {
        return entries.size() > 0 ? Optional.of(entries.get(0)) : Optional.empty();
    }

    List<Contact> contacts() {
        List<Contact> out = new ArrayList<>(entries.size());
        addContactsTo(out);
        return out;
    }

    void addContactsTo(List<Contact> into) {
        for (int i = 0; i < entries.size(); i++) {
            into.add(entries.get(i));
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
