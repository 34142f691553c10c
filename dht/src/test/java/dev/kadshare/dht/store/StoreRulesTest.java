package dev.kadshare.dht.store;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.ExpiringStore.Outcome;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rules that keep one source from crowding others out of a store. */
class StoreRulesTest {
    private final VirtualClock clock = new VirtualClock();
    private final SplittableRandom random = new SplittableRandom(12);

    private static InetSocketAddress ip(int n) {
        return new InetSocketAddress("10.1." + (n / 256) + "." + (n % 256), 0);
    }

    private static AnnouncedPeer peer(InetSocketAddress ip, int port) {
        return AnnouncedPeer.of(new InetSocketAddress(ip.getAddress(), port));
    }

    @Test
    void oneAnnouncementPerIpPerKeyWhateverItsPorts() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(50, 1, 1000, 1000));
        NodeId key = NodeId.random(random);
        store.put(key, peer(ip(0), 7000), ip(0));
        for (int port = 1; port <= 50; port++) {
            assertEquals(Outcome.STORED, store.put(key, peer(ip(1), port), ip(1)));
        }
        assertEquals(List.of(peer(ip(1), 50), peer(ip(0), 7000)), store.get(key, 100), "the last port of IP 1, and IP 0");
        assertEquals(2, store.size());
    }

    @Test
    void aSourceHasAQuotaAcrossKeys() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(50, 1, 3, 1000));
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.STORED, store.put(NodeId.random(random), peer(ip(1), 7000), ip(1)));
        }
        assertEquals(Outcome.SOURCE_QUOTA, store.put(NodeId.random(random), peer(ip(1), 7000), ip(1)));
        assertEquals(Outcome.STORED, store.put(NodeId.random(random), peer(ip(2), 7000), ip(2)), "others are not held back");
        assertEquals(3, store.heldBy(ip(1)));
    }

    @Test
    void aFloodThatFilledTheStoreDoesNotLockAnHonestAnnouncerOut() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(50, 1, 40, 100));
        // Ten flooding IPs fill the whole store, unevenly.
        for (int i = 0; i < 100; i++) {
            InetSocketAddress flooder = ip(i < 40 ? 1 : 2 + i % 9);
            store.put(NodeId.random(random), peer(flooder, 7000), flooder);
        }
        assertEquals(100, store.size());
        NodeId honestKey = NodeId.random(random);
        assertEquals(Outcome.STORED, store.put(honestKey, peer(ip(99), 7000), ip(99)));
        assertEquals(List.of(peer(ip(99), 7000)), store.get(honestKey, 10));
        assertEquals(39, store.heldBy(ip(1)), "the place came from the source holding the most");
        assertEquals(1, store.evictions());
        assertEquals(100, store.size());
        // The heaviest source cannot push out lighter ones.
        InetSocketAddress light = ip(2);
        int before = store.heldBy(light);
        for (int i = 0; i < 50; i++) {
            store.put(NodeId.random(random), peer(ip(1), 7000), ip(1));
        }
        assertEquals(before, store.heldBy(light));
        assertTrue(store.heldBy(ip(1)) <= 39);
    }

    @Test
    void aFullKeyLosesTheFloodersRecordsNotTheHonestOne() {
        RecordStore records = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(20, 4, 1000, 10_000));
        NodeId keyword = NodeId.random(random);
        RecordValue honest = SignedRecords.of("honest");
        assertEquals(Outcome.STORED, records.put(keyword, honest, ip(500)));
        // Ten IPs, each putting 30 records under the keyword (only 4 a source per key stay).
        for (int n = 0; n < 10; n++) {
            for (int i = 0; i < 30; i++) {
                records.put(keyword, SignedRecords.of("fake " + n + "/" + i), ip(n));
            }
        }
        List<RecordValue> kept = records.get(keyword, 100);
        assertTrue(kept.contains(honest), "the honest record survives the flood");
        assertEquals(20, kept.size());
        for (int n = 0; n < 10; n++) {
            assertTrue(records.heldBy(ip(n)) <= 4);
        }
    }

    @Test
    void aSlotTakenOverFromAnotherAddressStaysChargedToItsHolder() {
        RecordStore records = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(20, 4, 8, 10_000));
        Publisher attacker = SignedRecords.publisher(9);
        NodeId key = NodeId.random(random);
        // One publisher, two addresses: the first fills its places under the key, the second sends newer versions.
        for (int round = 0; round < 3; round++) {
            for (int salt = 4 * round; salt < 4 * round + 4; salt++) {
                assertEquals(Outcome.STORED, records.put(key, slotted(attacker, key, salt, 1), ip(1)));
            }
            for (int salt = 4 * round; salt < 4 * round + 4; salt++) {
                assertEquals(Outcome.STORED, records.put(key, slotted(attacker, key, salt, 2), ip(2)));
            }
        }
        assertEquals(4, records.heldBy(ip(1)), "its own newer values push out its oldest");
        assertEquals(0, records.heldBy(ip(2)), "taking slots over earns no places");
        assertEquals(4, records.get(key, 100).size(), "4 per key per source, whichever address sends them");
        // Across keys: what the second address takes over still counts against the first one's quota.
        for (int i = 0; i < 8; i++) {
            NodeId other = NodeId.random(random);
            assertEquals(i < 4 ? Outcome.STORED : Outcome.SOURCE_QUOTA,
                    records.put(other, slotted(attacker, other, 0, 1), ip(1)));
            assertEquals(Outcome.STORED, records.put(other, slotted(attacker, other, 0, 2), ip(2)));
        }
        assertEquals(8, records.heldBy(ip(1)), "its quota, 4 of it taken over by the other address");
        assertEquals(4, records.heldBy(ip(2)), "only what it stored in slots of its own");
        assertEquals(12, records.size());
    }

    private static RecordValue slotted(Publisher publisher, NodeId key, int salt, long seq) {
        return RecordValue.sign(publisher, key, new byte[] {(byte) salt}, seq, new byte[] {1});
    }

    @Test
    void expiryAndRemovalFreeTheSourcesQuota() {
        PeerStore store = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(50, 1, 2, 1000));
        NodeId a = NodeId.random(random);
        store.put(a, peer(ip(1), 7000), ip(1));
        store.put(NodeId.random(random), peer(ip(1), 7000), ip(1));
        store.remove(a, peer(ip(1), 7000));
        assertEquals(Outcome.STORED, store.put(NodeId.random(random), peer(ip(1), 7000), ip(1)));
        clock.runFor(Duration.ofMinutes(31));
        store.purgeExpired();
        assertEquals(0, store.heldBy(ip(1)));
        assertEquals(0, store.size());
    }
}
