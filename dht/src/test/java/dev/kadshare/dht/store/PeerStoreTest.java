package dev.kadshare.dht.store;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeerStoreTest {
    private final VirtualClock clock = new VirtualClock();
    private final SplittableRandom random = new SplittableRandom(5);

    private static final InetSocketAddress ONE = source(1);

    /** A source of its own per number: 10.0.0.n. */
    private static InetSocketAddress source(int n) {
        return new InetSocketAddress("10.0.0." + n, 0);
    }

    private static AnnouncedPeer peer(int port) {
        return AnnouncedPeer.of(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void expiresAfterTtl() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(10, 1, 100, 100));
        NodeId key = NodeId.random(random);
        assertEquals(PeerStore.Outcome.STORED, store.put(key, peer(1), source(1)));
        assertEquals(PeerStore.Outcome.REFRESHED, store.put(key, peer(1), source(1)));
        assertEquals(List.of(peer(1)), store.get(key, 10));
        clock.runFor(Duration.ofMinutes(31));
        assertEquals(List.of(), store.get(key, 10));
        store.purgeExpired();
        assertEquals(0, store.size());
    }

    @Test
    void boundedPerKeyAndInTotal() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(2, 1, 3, 3));
        NodeId key = NodeId.random(random);
        store.put(key, peer(1), source(1));
        store.put(key, peer(2), source(2));
        store.put(key, peer(3), source(3)); // evicts the oldest
        assertEquals(List.of(peer(3), peer(2)), store.get(key, 10));
        NodeId other = NodeId.random(random);
        assertEquals(PeerStore.Outcome.STORED, store.put(other, peer(4), source(4)));
        // Full, and source 4 holds as many as any other: it may not push out someone else's.
        assertEquals(PeerStore.Outcome.STORE_FULL, store.put(NodeId.random(random), peer(5), source(4)));
        assertEquals(3, store.size());
    }

    @Test
    void theMachinesOfOneIpv6Slash64AnnounceSideBySideWithinOneHostsBounds() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(50, 1, 6, 100));
        NodeId key = NodeId.random(random);
        for (int i = 1; i <= PeerStore.PER_KEY_PER_SOURCE + 1; i++) {
            InetSocketAddress at = new InetSocketAddress("2001:db8:0:1::" + i, 0);
            assertEquals(PeerStore.Outcome.STORED, store.put(key, AnnouncedPeer.of(new InetSocketAddress(
                    at.getAddress(), 7000)), at));
        }
        assertEquals(PeerStore.PER_KEY_PER_SOURCE, store.get(key, 100).size(), "the host's oldest made room");
        assertEquals(PeerStore.PER_KEY_PER_SOURCE, store.heldBy(new InetSocketAddress("2001:db8:0:1::ff", 0)));
        InetSocketAddress more = new InetSocketAddress("2001:db8:0:1:aaaa::1", 0);
        assertEquals(PeerStore.Outcome.STORED, store.put(NodeId.random(random), peerAt(more), more));
        assertEquals(PeerStore.Outcome.STORED, store.put(NodeId.random(random), peerAt(more), more));
        assertEquals(PeerStore.Outcome.SOURCE_QUOTA, store.put(NodeId.random(random), peerAt(more), more),
                "6 for the host however many addresses it stores from");
        InetSocketAddress neighbour = new InetSocketAddress("2001:db8:0:2::1", 0);
        assertEquals(PeerStore.Outcome.STORED, store.put(NodeId.random(random), peerAt(neighbour), neighbour));
    }

    private static AnnouncedPeer peerAt(InetSocketAddress source) {
        return AnnouncedPeer.of(new InetSocketAddress(source.getAddress(), 7000));
    }

    @Test
    void recordStoreKeepsTheMostRecentValues() {
        RecordStore records = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(2, 2, 100, 100));
        NodeId key = NodeId.random(new SplittableRandom(1));
        RecordValue a = SignedRecords.of(new byte[] {1});
        RecordValue b = SignedRecords.of(new byte[] {2});
        RecordValue c = SignedRecords.of(new byte[] {3});
        records.put(key, a, ONE);
        records.put(key, b, ONE);
        assertEquals(ExpiringStore.Outcome.REFRESHED, records.put(key, SignedRecords.of(new byte[] {1}), ONE));
        records.put(key, c, ONE); // b is now the oldest
        assertEquals(List.of(c, a), records.get(key, 10));
        assertEquals(Set.of(key), records.keys());
        clock.runFor(Duration.ofMinutes(31));
        assertEquals(List.of(), records.get(key, 10));
    }

    @Test
    void aReplicaKeepsTheRemainingLifetimeCappedAtTheTtl() {
        RecordStore records = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(5, 5, 100, 100));
        NodeId key = NodeId.random(new SplittableRandom(2));
        RecordValue v = SignedRecords.of(new byte[] {9});
        records.put(key, v, ONE, Duration.ofHours(5));
        assertEquals(Duration.ofMinutes(30), records.remainingLifetime(key, v), "capped");
        records.put(key, v, ONE, Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(30), records.remainingLifetime(key, v), "a refresh never shortens");
        RecordValue replica = SignedRecords.of(new byte[] {8});
        records.put(key, replica, ONE, Duration.ofMinutes(2));
        clock.runFor(Duration.ofMinutes(3));
        assertEquals(List.of(v), records.get(key, 10));
        assertEquals(Duration.ZERO, records.remainingLifetime(key, replica));
    }
}
