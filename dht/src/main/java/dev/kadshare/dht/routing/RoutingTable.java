package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kademlia k-buckets around our own id. Only contacts that answered one of our requests are admitted;
 * a full bucket keeps its old contacts (they have proven to stay up), which is the classic resistance
 * to flooding, and parks newcomers in a replacement cache. Not thread-safe: owned by the node's event loop.
 */
public final class RoutingTable {
    /** Consecutive failed requests after which a contact is dropped. */
    public static final int MAX_FAILURES = 2;

    private final NodeId self;
    private final InstantSource clock;
    private final int k;
    private final AdmissionLimits limits;
    private final SubnetCounts subnets = new SubnetCounts();
    /**
     * Made on first use: only the ~log2(N) farthest ranges ever hold anyone, and 256 empty buckets per node
     * would be most of a node's memory in a large simulation. Null = empty and untouched since {@link #createdAt}.
     * Bucket i is at {@code buckets[i - lowest]}: the array reaches only as near as a bucket was ever used, not all
     * 256 indices (a KiB a node of a large simulation for slots that stay null).
     */
    private KBucket[] buckets = new KBucket[0];
    private int lowest = NodeId.BITS;
    private final Instant createdAt;
    private int size;
    /** Indices the bucket array grows by at least, so it is copied a few times, not once per nearer bucket. */
    private static final int GROWTH = 4;

    /** Admits contacts within {@code limits}; the clock dates bucket activity. */
    public RoutingTable(NodeId self, int k, AdmissionLimits limits, InstantSource clock) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive");
        }
        this.self = self;
        this.clock = clock;
        this.k = k;
        this.limits = limits;
        this.createdAt = clock.instant();
    }

    private KBucket bucket(int index) {
        if (index < lowest) {
            int from = Math.max(0, Math.min(index, lowest - GROWTH));
            KBucket[] grown = new KBucket[NodeId.BITS - from];
            System.arraycopy(buckets, 0, grown, lowest - from, buckets.length);
            buckets = grown;
            lowest = from;
        }
        KBucket b = buckets[index - lowest];
        if (b == null) {
            b = new KBucket(k, limits, subnets, createdAt);
            buckets[index - lowest] = b;
        }
        return b;
    }

    /** Bucket {@code index} if it was ever made, else null (also for a negative index: our own id). */
    private KBucket existing(int index) {
        return index >= lowest ? buckets[index - lowest] : null;
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
        Admission admission = bucket(index).recordAnswer(contact, clock.instant());
        if (admission == Admission.ADDED) {
            size++;
        }
        return admission;
    }

    /** Records that a request to {@code id} went unanswered; returns whether the contact was dropped. */
    public boolean recordFailure(NodeId id) {
        int index = self.bucketIndex(id);
        KBucket bucket = existing(index);
        if (bucket != null && bucket.recordFailure(id, MAX_FAILURES)) {
            recount();
            return true;
        }
        return false;
    }

    /** Forgets a contact, e.g. one that failed the pings challenging its place. */
    public void remove(NodeId id) {
        int index = self.bucketIndex(id);
        KBucket bucket = existing(index);
        if (bucket != null && bucket.remove(id)) {
            recount();
        }
    }

    /** A drop may have promoted a replacement, so the bucket's size is re-read rather than decremented. */
    private void recount() {
        size = 0;
        for (KBucket b : buckets) {
            size += b == null ? 0 : b.size();
        }
    }

    public boolean contains(NodeId id) {
        int index = self.bucketIndex(id);
        KBucket bucket = existing(index);
        return bucket != null && bucket.contains(id);
    }

    /** Whether a new contact with this id would be admitted if it answered. */
    public boolean hasRoomFor(NodeId id) {
        int index = self.bucketIndex(id);
        KBucket bucket = existing(index);
        return index >= 0 && (bucket == null || !bucket.isFull());
    }

    /** The oldest contact of the bucket {@code id} falls into, the one ping-then-evict would test. */
    public Optional<Contact> leastRecentlySeenNear(NodeId id) {
        int index = self.bucketIndex(id);
        KBucket bucket = existing(index);
        return bucket == null ? Optional.empty() : bucket.leastRecentlySeen();
    }

    /** Up to {@code n} known contacts closest to {@code target}, closest first. */
    public List<Contact> closest(NodeId target, int n) {
        // Buckets come in groups of strictly increasing distance to the target: the target's own bucket b,
        // then every bucket nearer to us than b, then b+1, b+2, ... So whole groups are taken in that order
        // until there are n, and only those are sorted (a lookup or an answer costs a few buckets, not all).
        int b = self.bucketIndex(target);
        List<Contact> found = new ArrayList<>();
        if (b >= 0) {
            addBucket(found, b);
            if (found.size() < n) {
                for (int i = lowest; i < b; i++) {
                    addBucket(found, i);
                }
            }
        }
        for (int j = Math.max(b + 1, lowest); j < NodeId.BITS && found.size() < n; j++) {
            addBucket(found, j);
        }
        found.sort(Contact.byDistanceTo(target));
        return List.copyOf(found.subList(0, Math.min(n, found.size())));
    }

    private void addBucket(List<Contact> into, int index) {
        KBucket bucket = existing(index);
        if (bucket != null && bucket.size() > 0) {
            bucket.addContactsTo(into);
        }
    }

    /** Every contact in the table, e.g. for a snapshot to rejoin from after a restart. */
    public List<Contact> contacts() {
        List<Contact> all = new ArrayList<>(size);
        for (KBucket b : buckets) {
            if (b != null && b.size() > 0) {
                all.addAll(b.contacts());
            }
        }
        return all;
    }

    /** Marks the bucket {@code target} falls into as recently used, e.g. by a lookup of that target. */
    public void touch(NodeId target) {
        int index = self.bucketIndex(target);
        if (index >= 0) {
            bucket(index).touch(clock.instant());
        }
    }

    /**
     * Indices of buckets untouched for {@code idle} that are worth refreshing: from the farthest bucket
     * down to the nearest non-empty one (closer buckets are empty because no such node exists, not
     * because we are out of date). Empty while the table is empty.
     */
    public List<Integer> bucketsIdleFor(Duration idle) {
        Instant cutoff = clock.instant().minus(idle);
        List<Integer> out = new ArrayList<>();
        for (int i = NodeId.BITS - 1; i >= nearestNonEmpty(); i--) {
            KBucket bucket = existing(i);
            Instant touched = bucket == null ? createdAt : bucket.lastTouched();
            if (touched.isBefore(cutoff)) {
                out.add(i);
            }
        }
        return out;
    }

    private int nearestNonEmpty() {
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] != null && buckets[i].size() > 0) {
                return lowest + i;
            }
        }
        return NodeId.BITS; // no bucket qualifies
    }

    /** Contacts waiting in replacement caches, over all buckets. */
    public int replacementCount() {
        int n = 0;
        for (KBucket b : buckets) {
            n += b == null ? 0 : b.replacementCount();
        }
        return n;
    }

    public int size() {
        return size;
    }
}
