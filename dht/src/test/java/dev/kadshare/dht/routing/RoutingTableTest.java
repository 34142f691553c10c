package dev.kadshare.dht.routing;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
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
        RoutingTable table = new RoutingTable(self, 20);
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
    }

    @Test
    void fullBucketKeepsOldContacts() {
        byte[] selfBytes = new byte[32];
        NodeId self = NodeId.of(selfBytes);
        RoutingTable table = new RoutingTable(self, 2);
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
        RoutingTable table = new RoutingTable(self, 20);
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
}
