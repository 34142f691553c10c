package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kademlia k-buckets around our own id. Only contacts that answered one of our requests are admitted;
 * a full bucket keeps its old contacts (they have proven to stay up), which is the classic resistance
 * to flooding. Not thread-safe: owned by the node's event loop.
 */
public final class RoutingTable {
    /** Consecutive failed requests after which a contact is dropped. */
    public static final int MAX_FAILURES = 2;

    private final NodeId self;
    private final KBucket[] buckets = new KBucket[NodeId.BITS];
    private int size;

    public RoutingTable(NodeId self, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive");
        }
        this.self = self;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new KBucket(k);
        }
    }

    public NodeId self() {
        return self;
    }

    /** Records that {@code contact} answered one of our requests. */
    public Admission recordAnswer(Contact contact) {
        int index = self.bucketIndex(contact.id());
        if (index < 0) {
            return Admission.SELF;
        }
        Admission admission = buckets[index].recordAnswer(contact);
        if (admission == Admission.ADDED) {
            size++;
        }
        return admission;
    }

    /** Records that a request to {@code id} went unanswered. */
    public void recordFailure(NodeId id) {
        int index = self.bucketIndex(id);
        if (index >= 0 && buckets[index].recordFailure(id, MAX_FAILURES)) {
            size--;
        }
    }

    /** Forgets a contact, e.g. one that failed the ping challenging its place. */
    public void remove(NodeId id) {
        int index = self.bucketIndex(id);
        if (index >= 0 && buckets[index].remove(id)) {
            size--;
        }
    }

    public boolean contains(NodeId id) {
        int index = self.bucketIndex(id);
        return index >= 0 && buckets[index].contains(id);
    }

    /** Whether a new contact with this id would be admitted if it answered. */
    public boolean hasRoomFor(NodeId id) {
        int index = self.bucketIndex(id);
        return index >= 0 && !buckets[index].isFull();
    }

    /** The oldest contact of the bucket {@code id} falls into, the one ping-then-evict would test. */
    public Optional<Contact> leastRecentlySeenNear(NodeId id) {
        int index = self.bucketIndex(id);
        return index < 0 ? Optional.empty() : buckets[index].leastRecentlySeen();
    }

    /** Up to {@code n} known contacts closest to {@code target}, closest first. */
    public List<Contact> closest(NodeId target, int n) {
        // A full scan is at most 256*k contacts; cheap next to a network round trip, and always correct.
        List<Contact> all = new ArrayList<>(size);
        for (KBucket b : buckets) {
            if (b.size() > 0) {
                all.addAll(b.contacts());
            }
        }
        all.sort(Contact.byDistanceTo(target));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    public int size() {
        return size;
    }
}
