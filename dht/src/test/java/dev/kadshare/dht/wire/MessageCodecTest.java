package dev.kadshare.dht.wire;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.store.SignedRecords;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final SplittableRandom random = new SplittableRandom(9);
    private final MessageCodec codec = new MessageCodec();

    private static NodeId id() {
        return NodeId.random(random);
    }

    private static InetSocketAddress ipv6(int port) {
        try {
            byte[] ip = new byte[16];
            random.nextBytes(ip);
            ip[0] = 0x20; // a global unicast address, so it stays an Inet6Address
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An observed address, IPv6 at the largest port: the most bytes the field takes. */
    private static InetSocketAddress observed() {
        return ipv6(65535);
    }

    private static WriteToken token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return WriteToken.of(b);
    }

    static List<Contact> contacts(int n) {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Contact(id(), i % 2 == 0 ? ipv6(65535) : new InetSocketAddress("127.0.0.1", 40000 + i)));
        }
        return out;
    }

    static Stream<Message> everyMessageType() {
        long tx = random.nextLong();
        return Stream.of(
                new Ping(tx, id()),
                new Pong(tx, id(), observed()),
                new FindNode(tx, id(), id()),
                new Nodes(tx, id(), observed(), contacts(3)),
                new Nodes(tx, id(), observed(), List.of()),
                new GetPeers(tx, id(), id()),
                new Peers(tx, id(), observed(), token(), List.of(AnnouncedPeer.of(new InetSocketAddress("127.0.0.1", 6881)),
                        AnnouncedPeer.of(ipv6(1), Optional.of(linkKey()))), List.of()),
                new Peers(tx, id(), observed(), token(), List.of(), contacts(2)),
                new AnnouncePeer(tx, id(), id(), 65535, token()),
                new AnnouncePeer(tx, id(), id(), 1, token(), Optional.of(linkKey())),
                new Announced(Long.MIN_VALUE, id(), observed()),
                new WithdrawPeer(tx, id(), id(), 1, token()),
                new PeerWithdrawn(tx, id(), observed()),
                new GetRecords(tx, id(), id(), 0),
                new GetRecords(tx, id(), id(), GetRecords.MAX_SKIP),
                new Records(tx, id(), observed(), token(), List.of(value(RecordValue.OVERHEAD + 3), value(RecordValue.OVERHEAD + 100)), List.of(), 7),
                new Records(tx, id(), observed(), token(), List.of(), contacts(2), 0),
                new PutRecord(tx, id(), id(), value(RecordValue.MAX_BYTES), PutRecord.MAX_TTL_SECONDS, token()),
                new Stored(tx, id(), observed()),
                new ConnectRequest(tx, id(), id(), ipv6(65535), 65535),
                new ConnectForwarded(tx, id(), observed()),
                new Introduce(tx, id(), id(), new InetSocketAddress("127.0.0.1", 1)),
                new Introduced(tx, id(), observed()));
    }

    private static LinkKey linkKey() {
        byte[] b = new byte[LinkKey.BYTES];
        random.nextBytes(b);
        return LinkKey.of(b);
    }

    /** A signed record of {@code length} bytes in all. */
    private static RecordValue value(int length) {
        return SignedRecords.sized(length, random);
    }

    @Test
    void largestRecordMessagesFitOneDatagram() {
        WriteToken maxToken = WriteToken.of(new byte[WriteToken.MAX_BYTES]);
        assertTrue(codec.encode(new PutRecord(1, id(), id(), value(RecordValue.MAX_BYTES), PutRecord.MAX_TTL_SECONDS, maxToken)).length
                < MessageCodec.MAX_MESSAGE);
        List<RecordValue> manySmall = new ArrayList<>();
        while (Records.wireSize(manySmall) + RecordValue.OVERHEAD + 3 <= Records.MAX_VALUE_BYTES) {
            manySmall.add(value(RecordValue.OVERHEAD + 1));
        }
        assertTrue(codec.encode(new Records(1, id(), observed(), maxToken, manySmall, List.of(), GetRecords.MAX_SKIP)).length < MessageCodec.MAX_MESSAGE);
        List<RecordValue> big = List.of(value(RecordValue.MAX_BYTES), value(1200 - RecordValue.MAX_BYTES - 4));
        assertTrue(codec.encode(new Records(1, id(), observed(), maxToken, big, List.of(), 0)).length < MessageCodec.MAX_MESSAGE);
        assertThrows(IllegalArgumentException.class,
                () -> new Records(1, id(), observed(), maxToken, List.of(value(1000), value(1000)), List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> value(RecordValue.MAX_BYTES + 1));
    }

    @Test
    void rejectsAForgedValueLength() {
        byte[] put = codec.encode(new PutRecord(7, id(), id(), value(RecordValue.OVERHEAD + 1), 1800, token()));
        // Header (42) + key (32), then the value's length varint: 0 bytes is no value.
        byte[] forged = put.clone();
        forged[74] = 0;
        assertEquals(RejectReason.MALFORMED, reason(forged));
        // The value's layout: a salt length of 200 (after the 32-byte public key) is no signed record.
        byte[] badSalt = put.clone();
        badSalt[75 + 32] = (byte) 200;
        assertEquals(RejectReason.MALFORMED, reason(badSalt));
        // Too short to be one: 105 bytes, no value after the signature.
        byte[] bare = codec.encode(new PutRecord(7, id(), id(), value(RecordValue.OVERHEAD + 1), 1800, token()));
        bare[74] = (byte) RecordValue.OVERHEAD;
        assertEquals(RejectReason.MALFORMED, reason(bare));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void roundTrip(Message message) {
        byte[] bytes = codec.encode(message);
        assertEquals(MessageCodec.VERSION, bytes[0]);
        assertEquals(new Decoded.Ok(message), codec.decode(bytes));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void everyTruncationIsRejectedNotThrown(Message message) {
        byte[] bytes = codec.encode(message);
        for (int len = 0; len < bytes.length; len++) {
            Decoded d = codec.decode(Arrays.copyOf(bytes, len));
            assertInstanceOf(Decoded.Rejected.class, d, "length " + len);
        }
        Decoded.Rejected r = (Decoded.Rejected) codec.decode(Arrays.copyOf(bytes, bytes.length - 1));
        assertTrue(r.reason() == RejectReason.TRUNCATED || r.reason() == RejectReason.MALFORMED, r.toString());
    }

    @Test
    void largestRepliesFitOneDatagram() {
        Nodes nodes = new Nodes(1, id(), observed(), contacts(Nodes.MAX_CONTACTS).stream()
                .map(c -> new Contact(c.id(), ipv6(65535))).toList());
        assertTrue(codec.encode(nodes).length < MessageCodec.MAX_MESSAGE);
        byte[] maxToken = new byte[WriteToken.MAX_BYTES];
        List<AnnouncedPeer> bare = new ArrayList<>();
        List<AnnouncedPeer> keyed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            bare.add(AnnouncedPeer.of(ipv6(i + 1)));
            keyed.add(AnnouncedPeer.of(ipv6(i + 1), Optional.of(linkKey())));
        }
        // as many as one reply holds: 50 without link keys, 23 IPv6 peers with
        assertEquals(Peers.MAX_PEERS, Peers.fittingOneReply(bare).size());
        assertEquals(23, Peers.fittingOneReply(keyed).size());
        for (List<AnnouncedPeer> peers : List.of(Peers.fittingOneReply(bare), Peers.fittingOneReply(keyed))) {
            assertTrue(codec.encode(new Peers(1, id(), observed(), WriteToken.of(maxToken), peers, List.of())).length
                    < MessageCodec.MAX_MESSAGE);
        }
        assertThrows(IllegalArgumentException.class, () -> new Peers(1, id(), observed(), WriteToken.of(maxToken),
                keyed.subList(0, 24), List.of()), "one keyed peer more than fits");
        assertTrue(codec.encode(new Peers(1, id(), observed(), WriteToken.of(maxToken), List.of(), nodes.contacts())).length
                < MessageCodec.MAX_MESSAGE);
    }

    @Test
    void rejectsWithReasons() {
        byte[] ping = codec.encode(new Ping(7, id()));
        assertEquals(RejectReason.EMPTY, reason(new byte[0]));
        assertEquals(RejectReason.OVERSIZED, reason(new byte[MessageCodec.MAX_MESSAGE + 1]));
        byte[] badVersion = ping.clone();
        badVersion[0] = 9;
        assertEquals(RejectReason.UNSUPPORTED_VERSION, reason(badVersion));
        byte[] unknown = ping.clone();
        unknown[1] = 99; // an id nobody registered
        assertEquals(RejectReason.UNKNOWN_TYPE, reason(unknown));
        byte[] kryoBuiltin = ping.clone();
        kryoBuiltin[1] = 3; // Kryo's own pre-registered String id: must not decode
        assertEquals(RejectReason.UNKNOWN_TYPE, reason(kryoBuiltin));
        byte[] trailing = Arrays.copyOf(ping, ping.length + 1);
        trailing[ping.length] = 1; // a request may be padded with zero bytes only
        assertEquals(RejectReason.MALFORMED, reason(trailing));
        byte[] pong = codec.encode(new Pong(7, id(), observed()));
        assertEquals(RejectReason.MALFORMED, reason(Arrays.copyOf(pong, pong.length + 1)), "a response is never padded");
        assertEquals(RejectReason.TRUNCATED, reason(Arrays.copyOf(ping, ping.length - 1)));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void aRequestPaddedWithZerosDecodesAsItself(Message message) {
        if (!(message instanceof Request request)) {
            return;
        }
        byte[] padded = codec.encode(request, 900);
        assertEquals(Math.max(900, codec.encode(request).length), padded.length);
        assertEquals(new Decoded.Ok(request), codec.decode(padded));
        assertEquals(MessageCodec.MAX_MESSAGE, codec.encode(request, 5_000).length, "never past one datagram");
    }

    @Test
    void rejectsForgedCountsAndLengths() {
        byte[] nodes = codec.encode(new Nodes(7, id(), observed(), List.of()));
        // Header is version(1) + type(1) + txId(8) + sender(32), the observed IPv6 address (19); then the contact count.
        int count = 42 + 19;
        byte[] forged = nodes.clone();
        forged[count] = 21; // more than MAX_CONTACTS
        assertEquals(RejectReason.MALFORMED, reason(forged));

        byte[] nodesWithOne = codec.encode(new Nodes(7, id(), observed(), List.of(new Contact(id(), new InetSocketAddress("127.0.0.1", 1)))));
        byte[] badIp = nodesWithOne.clone();
        badIp[count + 1 + 32] = 5; // ip length byte of the contact
        assertEquals(RejectReason.MALFORMED, reason(badIp));
    }

    @Test
    void aLinkKeyIsNoneOrThirtyTwoBytesElseMalformed() {
        byte[] announce = codec.encode(new AnnouncePeer(7, id(), id(), 7700, WriteToken.of(new byte[] {1, 2, 3, 4}),
                Optional.of(linkKey())));
        // Header (42), key (32), port (2), token (1 + 4); then the link key's length.
        int length = 42 + 32 + 2 + 5;
        assertEquals(LinkKey.BYTES, announce[length]);
        for (int forged : new int[] {1, 31, 33, 255}) {
            byte[] bad = announce.clone();
            bad[length] = (byte) forged;
            assertInstanceOf(Decoded.Rejected.class, codec.decode(bad), "length " + forged);
        }
        byte[] cut = Arrays.copyOf(announce, announce.length - 1);
        assertEquals(RejectReason.TRUNCATED, reason(cut));
        byte[] none = Arrays.copyOf(announce, length + 1);
        none[length] = 0;
        AnnouncePeer keyless = assertInstanceOf(AnnouncePeer.class, ((Decoded.Ok) codec.decode(none)).message());
        assertEquals(Optional.empty(), keyless.linkKey());

        byte[] peers = codec.encode(new Peers(7, id(), observed(), WriteToken.of(new byte[] {1, 2, 3, 4}),
                List.of(AnnouncedPeer.of(new InetSocketAddress("127.0.0.1", 1), Optional.of(linkKey()))), List.of()));
        // Header (42), observed IPv6 (19), token (5), count (1), the peer's IPv4 address (7); then its key's length.
        int peerKey = 42 + 19 + 5 + 1 + 7;
        assertEquals(LinkKey.BYTES, peers[peerKey]);
        byte[] badPeer = peers.clone();
        badPeer[peerKey] = 16;
        assertEquals(RejectReason.MALFORMED, reason(badPeer));
        assertThrows(IllegalArgumentException.class, () -> LinkKey.of(new byte[31]));
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[r.nextInt(0, 200)];
            r.nextBytes(junk);
            if (junk.length > 0 && r.nextBoolean()) {
                junk[0] = MessageCodec.VERSION;
            }
            if (junk.length > 1 && r.nextBoolean()) {
                junk[1] = (byte) r.nextInt(100, 112);
            }
            assertNotNull(codec.decode(junk));
        }
    }

    private RejectReason reason(byte[] data) {
        return assertInstanceOf(Decoded.Rejected.class, codec.decode(data)).reason();
    }
}
