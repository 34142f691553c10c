package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.AdmissionLimits;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.routing.RoutingTable;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.ExpiringStore;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.store.RecordStore;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.store.SignedRecords;
import dev.kadshare.dht.token.WriteTokens;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.WithdrawPeer;
import dev.kadshare.dht.wire.PutRecord;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A node stores only keys it is among the closest to, and counts what it refuses by reason. */
class ResponderStoreTest {
    private final VirtualClock clock = new VirtualClock();
    private final SplittableRandom random = new SplittableRandom(3);
    private final NodeId self = NodeId.of(new byte[32]);
    private final RoutingTable table = new RoutingTable(self, 20, new AdmissionLimits(2, 10, false), clock);
    private final WriteTokens tokens = new WriteTokens(clock, random, Duration.ofMinutes(5));
    private final PeerStore peers = new PeerStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(50, 1, 256, 1000));
    private final RecordStore records = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(20, 4, 256, 1000));
    private final Responder responder = new Responder(self, 20, 10, false, table, tokens, peers, records, 20);
    private final InetSocketAddress from = new InetSocketAddress("198.51.100.9", 7000);

    ResponderStoreTest() {
        // 30 contacts, 3 in each of the 10 farthest buckets; every one is closer than we are to ff..ff.
        for (int i = 0; i < 30; i++) {
            NodeId id = NodeId.randomInBucket(self, 255 - i / 3, random);
            table.recordAnswer(new Contact(id, new InetSocketAddress("10.0." + i + ".1", 4000)));
        }
    }

    private static NodeId all(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return NodeId.of(bytes);
    }

    @Test
    void storesKeysNearItselfAndRefusesFarOnes() {
        assertEquals(30, table.size());
        NodeId near = all(0x00);
        NodeId far = all(0xff);
        var token = tokens.issue(from.getAddress());
        NodeId sender = NodeId.random(random);
        assertInstanceOf(Responder.Reply.Answer.class, responder.respond(from, new AnnouncePeer(1, sender, near, 7000, token)));
        assertEquals(new Responder.Reply.Refused("STORE_NOT_CLOSE"),
                responder.respond(from, new AnnouncePeer(2, sender, far, 7000, token)));
        assertEquals(new Responder.Reply.Refused("STORE_NOT_CLOSE"),
                responder.respond(from, new PutRecord(3, sender, far, SignedRecords.of(new byte[] {1}), 60, token)));
        assertEquals(List.of(AnnouncedPeer.of(new InetSocketAddress(from.getAddress(), 7000))), peers.get(near, 10));
        assertEquals(List.of(), peers.get(far, 10));
    }

    @Test
    void theLinkKeyOfAnAnnouncementIsStoredAnsweredReplacedAndWithdrawnWithIt() {
        NodeId near = all(0x00);
        var token = tokens.issue(from.getAddress());
        NodeId sender = NodeId.random(random);
        LinkKey first = LinkKey.of(new byte[32]);
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 7);
        LinkKey second = LinkKey.of(other);
        InetSocketAddress peer = new InetSocketAddress(from.getAddress(), 7000);
        responder.respond(from, new AnnouncePeer(1, sender, near, 7000, token, Optional.of(first)));
        assertEquals(List.of(AnnouncedPeer.of(peer, Optional.of(first))), peersAnswered(near));
        // the same announcer with another key: its one entry now carries that key
        responder.respond(from, new AnnouncePeer(2, sender, near, 7000, token, Optional.of(second)));
        assertEquals(List.of(AnnouncedPeer.of(peer, Optional.of(second))), peersAnswered(near));
        assertEquals(1, peers.size());
        // a withdrawal names no key, and takes the entry whatever its key
        responder.respond(from, new WithdrawPeer(3, sender, near, 7000, token));
        assertEquals(List.of(), peers.get(near, 10));
    }

    private List<AnnouncedPeer> peersAnswered(NodeId key) {
        Responder.Reply reply = responder.respond(new InetSocketAddress("203.0.113.5", 1), new GetPeers(9, self, key));
        return ((Peers) ((Responder.Reply.Answer) reply).response()).peers();
    }

    @Test
    void aRefusedStoreNamesItsReason() {
        RecordStore tiny = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(20, 4, 1, 1000));
        Responder strict = new Responder(self, 20, 10, false, table, tokens, peers, tiny, 20);
        var token = tokens.issue(from.getAddress());
        NodeId sender = NodeId.random(random);
        NodeId near = all(0x00);
        assertInstanceOf(Responder.Reply.Answer.class,
                strict.respond(from, new PutRecord(1, sender, near, SignedRecords.of(new byte[] {1}), 60, token)));
        NodeId nearToo = NodeId.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 1});
        assertEquals(new Responder.Reply.Refused("STORE_SOURCE_QUOTA"), strict.respond(from, new PutRecord(2, sender, nearToo,
                RecordValue.sign(SignedRecords.PUBLISHER, nearToo, new byte[0], 1, new byte[] {2}), 60, token)));
    }

    @Test
    void anIpv6HostHasOneQuotaWhicheverAddressOfItsSlash64ItStoresFrom() {
        RecordStore tiny = new RecordStore(clock, Duration.ofMinutes(30), new ExpiringStore.Limits(20, 4, 1, 1000));
        Responder strict = new Responder(self, 20, 10, false, table, tokens, peers, tiny, 20);
        NodeId sender = NodeId.random(random);
        InetSocketAddress first = new InetSocketAddress("2001:db8:0:9::1", 7000);
        InetSocketAddress second = new InetSocketAddress("2001:db8:0:9:abcd::2", 7001);
        NodeId near = all(0x00);
        assertInstanceOf(Responder.Reply.Answer.class, strict.respond(first, new PutRecord(1, sender, near,
                SignedRecords.of(new byte[] {1}), 60, tokens.issue(first.getAddress()))));
        NodeId nearToo = NodeId.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 1});
        assertEquals(new Responder.Reply.Refused("STORE_SOURCE_QUOTA"), strict.respond(second, new PutRecord(2, sender,
                nearToo, RecordValue.sign(SignedRecords.PUBLISHER, nearToo, new byte[0], 1, new byte[] {2}), 60,
                tokens.issue(second.getAddress()))), "a second address of the same /64 is the same source");
    }

    @Test
    void onlyAValidSignatureForThisKeyIsStoredAndOnlyThePublisherReplacesItsRecord() {
        var token = tokens.issue(from.getAddress());
        NodeId sender = NodeId.random(random);
        NodeId key = all(0x00);
        NodeId otherKey = all(0x01);
        byte[] salt = "share".getBytes();
        RecordValue v1 = RecordValue.sign(SignedRecords.PUBLISHER, key, salt, 1, "v1".getBytes());
        RecordValue v2 = RecordValue.sign(SignedRecords.PUBLISHER, key, salt, 2, "v2".getBytes());
        // Signed for another key: replayed under this one, it does not verify.
        RecordValue moved = RecordValue.sign(SignedRecords.PUBLISHER, otherKey, salt, 9, "moved".getBytes());
        byte[] tampered = v2.bytes();
        tampered[tampered.length - 1] ^= 1;
        RecordValue forged = RecordValue.decode(tampered).orElseThrow();
        // Someone else's key and the same salt: a slot of its own, never the publisher's.
        RecordValue other = RecordValue.sign(SignedRecords.publisher(9), key, salt, 100, "other".getBytes());

        assertInstanceOf(Responder.Reply.Answer.class, responder.respond(from, new PutRecord(1, sender, key, v2, 60, token)));
        assertEquals(new Responder.Reply.Refused("STORE_BAD_SIGNATURE"), responder.respond(from, new PutRecord(2, sender, key, moved, 60, token)));
        assertEquals(new Responder.Reply.Refused("STORE_BAD_SIGNATURE"), responder.respond(from, new PutRecord(3, sender, key, forged, 60, token)));
        assertEquals(new Responder.Reply.Refused("STORE_STALE"), responder.respond(from, new PutRecord(4, sender, key, v1, 60, token)));
        assertInstanceOf(Responder.Reply.Answer.class, responder.respond(from, new PutRecord(5, sender, key, other, 60, token)));
        assertEquals(List.of(other, v2), records.get(key, 10));
        RecordValue v3 = RecordValue.sign(SignedRecords.PUBLISHER, key, salt, 3, "v3".getBytes());
        assertInstanceOf(Responder.Reply.Answer.class, responder.respond(from, new PutRecord(6, sender, key, v3, 60, token)));
        assertEquals(List.of(v3, other), records.get(key, 10), "v3 replaced v2");
    }
}
