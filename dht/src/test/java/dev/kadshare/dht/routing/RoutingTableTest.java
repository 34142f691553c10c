package dev.kadshare.dht.routing;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final SplittableRandom random = new SplittableRandom(42);

    private static Contact contact(NodeId id, int port) {
        return new Contact(id, new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void closestIsSortedByDistanceAndMatchesBruteForce() {
        NodeId self = NodeId.random(random);
        RoutingTable table = new RoutingTable(self, 20, AdmissionLimits.none(), new VirtualClock());
        List<Contact> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Contact c = contact(NodeId.random(random), 1000 + i);
            if (table.recordAnswer(c) == Admission.ADDED) {
                all.add(c);
            }
        }
        assertEquals(all.size(), table.size());
        NodeId target = NodeId.random(random);
        all.sort(Contact.byDistanceTo(target));
        assertEquals(all.subList(0, 10), table.closest(target, 10));
        assertEquals(all.size(), table.closest(target, 10_000).size());
        // Targets in every bucket's range and our own id: the closest buckets are walked, not all of them.
        List<NodeId> targets = new ArrayList<>(List.of(self));
        for (int index = 240; index < NodeId.BITS; index++) {
            targets.add(NodeId.randomInBucket(self, index, random));
        }
        for (NodeId t : targets) {
            for (int n : new int[] {1, 10, 20, 45}) {
                all.sort(Contact.byDistanceTo(t));
                assertEquals(all.subList(0, n), table.closest(t, n), "target " + t + ", n " + n);
            }
        }
    }

    @Test
    void fullBucketKeepsOldContacts() {
        byte[] selfBytes = new byte[32];
        NodeId self = NodeId.of(selfBytes);
        RoutingTable table = new RoutingTable(self, 2, AdmissionLimits.none(), new VirtualClock());
        // All with top bit set: same bucket (255).
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[32];
            b[0] = (byte) 0x80;
            b[31] = (byte) i;
            contacts.add(contact(NodeId.of(b), 2000 + i));
        }
        assertEquals(Admission.ADDED, table.recordAnswer(contacts.get(0)));
        assertEquals(Admission.ADDED, table.recordAnswer(contacts.get(1)));
        assertFalse(table.hasRoomFor(contacts.get(2).id()));
        assertEquals(Admission.BUCKET_FULL, table.recordAnswer(contacts.get(2)));
        assertEquals(2, table.size());
        assertFalse(table.contains(contacts.get(2).id()));
        assertEquals(contacts.get(0), table.leastRecentlySeenNear(contacts.get(2).id()).orElseThrow());
        // Answering again moves a contact to the most-recently-seen end.
        assertEquals(Admission.REFRESHED, table.recordAnswer(contacts.get(0)));
        assertEquals(contacts.get(1), table.leastRecentlySeenNear(contacts.get(2).id()).orElseThrow());
    }

    @Test
    void selfIsNeverStoredAndFailingContactsAreDropped() {
        NodeId self = NodeId.random(random);
        RoutingTable table = new RoutingTable(self, 20, AdmissionLimits.none(), new VirtualClock());
        assertEquals(Admission.SELF, table.recordAnswer(contact(self, 1)));
        Contact c = contact(NodeId.random(random), 2);
        table.recordAnswer(c);
        for (int i = 0; i < RoutingTable.MAX_FAILURES; i++) {
            assertTrue(table.contains(c.id()));
            table.recordFailure(c.id());
        }
        assertFalse(table.contains(c.id()));
        assertEquals(0, table.size());
    }

    private static NodeId inTopBucket(int last) {
        byte[] b = new byte[32];
        b[0] = (byte) 0x80;
        b[31] = (byte) last;
        return NodeId.of(b);
    }

    @Test
    void aDroppedContactIsReplacedByTheFreshestReplacement() {
        RoutingTable table = new RoutingTable(NodeId.of(new byte[32]), 2, AdmissionLimits.none(), new VirtualClock());
        Contact a = contact(inTopBucket(1), 1);
        Contact b = contact(inTopBucket(2), 2);
        Contact c = contact(inTopBucket(3), 3);
        Contact d = contact(inTopBucket(4), 4);
        table.recordAnswer(a);
        table.recordAnswer(b);
        assertEquals(Admission.BUCKET_FULL, table.recordAnswer(c));
        assertEquals(Admission.BUCKET_FULL, table.recordAnswer(d));
        assertEquals(2, table.replacementCount());
        assertFalse(table.recordFailure(a.id()), "one failure is not enough");
        assertTrue(table.contains(a.id()));
        assertTrue(table.recordFailure(a.id()));
        assertTrue(table.contains(d.id()), "the freshest replacement moved in");
        assertFalse(table.contains(c.id()));
        assertEquals(2, table.size());
        assertEquals(1, table.replacementCount());
        table.remove(b.id());
        assertTrue(table.contains(c.id()));
        assertEquals(2, table.size());
    }

    @Test
    void oneNetworkGetsAtMostTwoPlacesPerBucketAndTenInTheTable() {
        NodeId self = NodeId.random(random);
        RoutingTable table = new RoutingTable(self, 20, new AdmissionLimits(2, 10, false), new VirtualClock());
        int refused = 0;
        for (int i = 1; i <= 100; i++) {
            Admission a = table.recordAnswer(new Contact(NodeId.random(random), new InetSocketAddress("203.0.113." + i, 7000)));
            refused += a == Admission.SUBNET_LIMIT ? 1 : 0;
        }
        assertEquals(10, table.size(), "100 ids from one /24: 10 in the table");
        assertEquals(90, refused);
        assertTrue(perBucket(self, table.contacts()).values().stream().allMatch(n -> n <= 2), "at most 2 in any bucket");
        // an IPv6 /64 is one network too, whatever its interface ids
        for (int i = 1; i <= 100; i++) {
            table.recordAnswer(new Contact(NodeId.random(random), new InetSocketAddress("2001:db8:1:2::" + Integer.toHexString(i), 7000)));
        }
        assertEquals(20, table.size());
        // other networks still get in
        assertEquals(Admission.ADDED, table.recordAnswer(new Contact(inTopBucketOf(self), new InetSocketAddress("198.51.100.7", 7000))));
    }

    @Test
    void aPlaceFreedByADroppedContactGoesBackToItsNetwork() {
        RoutingTable table = new RoutingTable(NodeId.of(new byte[32]), 20, new AdmissionLimits(2, 2, false), new VirtualClock());
        Contact a = new Contact(inTopBucket(1), new InetSocketAddress("203.0.113.1", 1));
        Contact b = new Contact(inTopBucket(2), new InetSocketAddress("203.0.113.2", 2));
        Contact c = new Contact(inTopBucket(3), new InetSocketAddress("203.0.113.3", 3));
        table.recordAnswer(a);
        table.recordAnswer(b);
        assertEquals(Admission.SUBNET_LIMIT, table.recordAnswer(c));
        table.remove(a.id());
        assertEquals(Admission.ADDED, table.recordAnswer(c));
        // a known contact answering from another network moves its count there
        table.recordAnswer(new Contact(b.id(), new InetSocketAddress("198.51.100.2", 2)));
        assertEquals(Admission.ADDED, table.recordAnswer(new Contact(inTopBucket(4), new InetSocketAddress("203.0.113.4", 4))));
    }

    @Test
    void aContactAnsweringFromAFullNetworkStaysWhereItWas() {
        RoutingTable table = new RoutingTable(NodeId.of(new byte[32]), 20, new AdmissionLimits(2, 2, false), new VirtualClock());
        table.recordAnswer(new Contact(inTopBucket(1), new InetSocketAddress("203.0.113.1", 1)));
        table.recordAnswer(new Contact(inTopBucket(2), new InetSocketAddress("203.0.113.2", 2)));
        Contact elsewhere = new Contact(inTopBucket(3), new InetSocketAddress("198.51.100.3", 3));
        assertEquals(Admission.ADDED, table.recordAnswer(elsewhere));
        // the same id answering from the full /24 (ids bind at many addresses) is not carried into it
        assertEquals(Admission.SUBNET_LIMIT, table.recordAnswer(new Contact(elsewhere.id(), new InetSocketAddress("203.0.113.3", 3))));
        assertTrue(table.contacts().contains(elsewhere), "still at its old address");
        assertEquals(2, table.contacts().stream().filter(c -> c.address().getHostString().startsWith("203.0.113.")).count());
        // within its own network, or into one with room, it moves as before
        Contact sameNetwork = new Contact(elsewhere.id(), new InetSocketAddress("198.51.100.4", 4));
        assertEquals(Admission.REFRESHED, table.recordAnswer(sameNetwork));
        Contact roomy = new Contact(elsewhere.id(), new InetSocketAddress("192.0.2.5", 5));
        assertEquals(Admission.REFRESHED, table.recordAnswer(roomy));
        assertTrue(table.contacts().contains(roomy));
        assertEquals(3, table.size());
    }

    @Test
    void loopbackEscapesTheLimitsOnlyOnANodeBoundToLoopback() {
        RoutingTable onLoopback = new RoutingTable(NodeId.of(new byte[32]), 20, new AdmissionLimits(2, 10, true), new VirtualClock());
        RoutingTable serving = new RoutingTable(NodeId.of(new byte[32]), 20, new AdmissionLimits(2, 10, false), new VirtualClock());
        for (int i = 1; i <= 5; i++) {
            assertEquals(Admission.ADDED, onLoopback.recordAnswer(contact(inTopBucket(i), i)));
            serving.recordAnswer(contact(inTopBucket(i), i));
        }
        assertEquals(2, serving.size(), "a local process is one network like any other");
    }

    private static NodeId inTopBucketOf(NodeId self) {
        byte[] b = self.bytes();
        b[0] ^= (byte) 0x80;
        return NodeId.of(b);
    }

    private static java.util.Map<Integer, Integer> perBucket(NodeId self, List<Contact> contacts) {
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (Contact c : contacts) {
            counts.merge(self.bucketIndex(c.id()), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void bucketsUntouchedForTheIntervalAreDueForRefresh() {
        VirtualClock clock = new VirtualClock();
        NodeId self = NodeId.random(random);
        RoutingTable table = new RoutingTable(self, 20, AdmissionLimits.none(), clock);
        assertEquals(List.of(), table.bucketsIdleFor(Duration.ofMinutes(15)), "nothing to refresh in an empty table");
        Contact far = contact(NodeId.randomInBucket(self, 255, random), 1);
        Contact near = contact(NodeId.randomInBucket(self, 250, random), 2);
        table.recordAnswer(far);
        table.recordAnswer(near);
        clock.runFor(Duration.ofMinutes(16));
        assertEquals(List.of(255, 254, 253, 252, 251, 250), table.bucketsIdleFor(Duration.ofMinutes(15)));
        table.recordAnswer(far);
        table.touch(NodeId.randomInBucket(self, 252, random));
        assertEquals(List.of(254, 253, 251, 250), table.bucketsIdleFor(Duration.ofMinutes(15)));
        assertEquals(Set.of(far, near), Set.copyOf(table.contacts()));
    }
}
