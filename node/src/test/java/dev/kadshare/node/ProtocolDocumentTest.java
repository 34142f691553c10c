package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.snapshot.RoutingSnapshot;
import dev.kadshare.dht.snapshot.RoutingSnapshotFile;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.ConnectForwarded;
import dev.kadshare.dht.wire.ConnectRequest;
import dev.kadshare.dht.wire.Introduce;
import dev.kadshare.dht.wire.Introduced;
import dev.kadshare.dht.wire.Announced;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.PeerWithdrawn;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.dht.wire.PutRecord;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Stored;
import dev.kadshare.dht.wire.WithdrawPeer;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.search.KeywordRecord;
import dev.kadshare.node.search.Keywords;
import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.LastStop;
import dev.kadshare.transfer.wire.Decoded;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.nio.file.attribute.FileTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import dev.kadshare.node.discovery.LanPacket;
import dev.kadshare.node.discovery.LanPacketCodec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every example of docs/PROTOCOL.md against the code: the value an example describes encodes to its
 * bytes (or text), and they decode back to it. An example without a check here, or a check whose example is
 * gone, fails, so the document cannot drift from the code.
 */
class ProtocolDocumentTest {
    private static final Path DOCUMENT = Path.of("..", "docs", "PROTOCOL.md");
    /** A fenced block whose info string is {@code hex NAME} or {@code text NAME}. */
    private static final Pattern EXAMPLE = Pattern.compile("(?ms)^```(hex|text) (\\S+)\\n(.*?)^```$");
    private static final Pattern HEX_TOKEN = Pattern.compile("((?:[0-9a-f]{2})+)(?:\\*(\\d+))?");
    private static final HexFormat HEX = HexFormat.of();
    private static final ContentId HELLO_ID = manifest().contentId();
    private static Map<String, String> examples;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheDocument() throws IOException {
        examples = new LinkedHashMap<>();
        Matcher m = EXAMPLE.matcher(Files.readString(DOCUMENT));
        while (m.find()) {
            String body = m.group(3).stripTrailing();
            if (examples.put(m.group(2), m.group(1) + " " + body) != null) {
                throw new AssertionError("two examples called " + m.group(2));
            }
        }
    }

    private Map<String, Executable> checks() {
        Map<String, Executable> checks = new LinkedHashMap<>();
        dhtChecks(checks);
        dhtIdentityChecks(checks);
        transferChecks(checks);
        checks.put("manifest.file", () -> manifestBytes("manifest.file", manifest()));
        checks.put("manifest.file-id", () -> assertEquals(text("manifest.file-id"), manifest().contentId().toHex()));
        checks.put("manifest.directory", () -> manifestBytes("manifest.directory", directoryManifest()));
        checks.put("manifest.directory-id",
                () -> assertEquals(text("manifest.directory-id"), directoryManifest().contentId().toHex()));
        checks.put("sidecar.file", this::sidecar);
        checks.put("snapshot.file", this::snapshot);
        checks.put("magnet.link", () -> magnet("magnet.link", MagnetLink.of(HELLO_ID, "hello.txt", 10)));
        checks.put("magnet.link-hints", () -> magnet("magnet.link-hints", new MagnetLink(HELLO_ID,
                Optional.of("hello world.txt"), OptionalLong.of(10),
                List.of(new InetSocketAddress("127.0.0.1", 7700), new InetSocketAddress("::1", 7701)))));
        checks.put("lan.query", () -> {
            LanPacket query = new LanPacket(LanPacket.Kind.QUERY, 0x0102030405060708L, NodeId.fromHex("bb".repeat(32)), 7700,
                    List.of(HELLO_ID));
            assertArrayEquals(hex("lan.query"), LanPacketCodec.encode(query));
            assertEquals(new LanPacketCodec.Decoding.Ok(query), LanPacketCodec.decode(hex("lan.query")));
        });
        checks.put("keyword.record", () -> keywordRecord("keyword.record", KeywordRecord.ofShare(HELLO_ID, "hello.txt", 10)));
        checks.put("keyword.record-file", () -> keywordRecord("keyword.record-file",
                new KeywordRecord(HELLO_ID, "docs", 10, Optional.of("notes/hello.txt"))));
        checks.put("keyword.key-hello", () -> {
            assertTrue(Keywords.of("hello.txt").contains("hello"));
            assertEquals(text("keyword.key-hello"), HEX.formatHex(Keywords.key("hello")));
        });
        checks.put("keyword.key-hel", () -> {
            assertEquals(List.of("hel", "hello"), Keywords.keywordsOf("hello"));
            assertEquals(text("keyword.key-hel"), HEX.formatHex(Keywords.key("hel")));
        });
        return checks;
    }

    private static void keywordRecord(String name, KeywordRecord record) {
        assertArrayEquals(hex(name), record.encode());
        assertEquals(Optional.of(record), KeywordRecord.decode(hex(name)));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleMatchesTheCode() {
        Map<String, Executable> checks = checks();
        return examples.keySet().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            assertNotNull(checks.get(name), "no check for the example " + name);
            checks.get(name).execute();
        }));
    }

    @Test
    void everyCheckHasItsExample() {
        TreeSet<String> missing = new TreeSet<>(checks().keySet());
        missing.removeAll(examples.keySet());
        assertEquals(new TreeSet<>(), missing, "checked examples missing from " + DOCUMENT);
    }

    // ---- DHT -------------------------------------------------------------------------------------------

    private static void dhtChecks(Map<String, Executable> checks) {
        long tx = 0x0102030405060708L;
        NodeId a = NodeId.fromHex("aa".repeat(32));
        NodeId b = NodeId.fromHex("bb".repeat(32));
        NodeId c = NodeId.fromHex("cc".repeat(32));
        WriteToken token = WriteToken.of(new byte[] {1, 2, 3, 4});
        InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 7700);
        InetSocketAddress seen = new InetSocketAddress("203.0.113.7", 7700); // where a responder saw the request from
        // "hi", signed by the publisher of seed 07 x 32 for the key bb x 32, salt "s", sequence number 1.
        byte[] seed = filled(7);
        RecordValue hi = RecordValue.sign(dev.kadshare.dht.store.Publisher.fromSeed(seed), b, "s".getBytes(StandardCharsets.US_ASCII), 1,
                "hi".getBytes(StandardCharsets.US_ASCII));
        checks.put("dht.signed-record", () -> {
            assertArrayEquals(hex("dht.signed-record"), hi.bytes());
            assertEquals(Optional.of(hi), RecordValue.decode(hex("dht.signed-record")));
            assertTrue(hi.verifies(b), "signed for bb*32");
        });
        Map<String, dev.kadshare.dht.wire.Message> messages = new LinkedHashMap<>();
        messages.put("dht.ping", new Ping(tx, a));
        messages.put("dht.pong", new Pong(tx, a, seen));
        messages.put("dht.find-node", new FindNode(tx, a, b));
        messages.put("dht.nodes", new Nodes(tx, a, seen, List.of(new Contact(b, v4), new Contact(c, new InetSocketAddress("::1", 7701)))));
        messages.put("dht.get-peers", new GetPeers(tx, a, b));
        byte[] cc = filled(0xcc);
        Optional<dev.kadshare.dht.store.LinkKey> linkKey = Optional.of(dev.kadshare.dht.store.LinkKey.of(cc));
        messages.put("dht.peers", new Peers(tx, a, seen, token, List.of(dev.kadshare.dht.store.AnnouncedPeer.of(v4, linkKey),
                dev.kadshare.dht.store.AnnouncedPeer.of(new InetSocketAddress("::1", 7701))), List.of()));
        messages.put("dht.peers-nodes", new Peers(tx, a, seen, token, List.of(), List.of(new Contact(b, v4))));
        messages.put("dht.announce-peer", new AnnouncePeer(tx, a, b, 7700, token, linkKey));
        messages.put("dht.announced", new Announced(tx, a, seen));
        messages.put("dht.get-records", new GetRecords(tx, a, b, 20));
        messages.put("dht.records", new Records(tx, a, seen, token, List.of(hi), List.of(), 0));
        messages.put("dht.put-record", new PutRecord(tx, a, b, hi, 1800, token));
        messages.put("dht.stored", new Stored(tx, a, seen));
        messages.put("dht.withdraw-peer", new WithdrawPeer(tx, a, b, 7700, token));
        messages.put("dht.peer-withdrawn", new PeerWithdrawn(tx, a, seen));
        InetSocketAddress sharer = new InetSocketAddress("198.51.100.1", 7700);
        messages.put("dht.connect", new ConnectRequest(tx, a, b, sharer, 7708));
        messages.put("dht.connect-forwarded", new ConnectForwarded(tx, a, seen));
        messages.put("dht.introduce", new Introduce(tx, a, b, new InetSocketAddress("203.0.113.7", 7708)));
        messages.put("dht.introduced", new Introduced(tx, a, seen));
        MessageCodec codec = new MessageCodec();
        messages.forEach((name, message) -> checks.put(name, () -> {
            assertArrayEquals(hex(name), codec.encode(message), message.toString());
            assertEquals(new dev.kadshare.dht.wire.Decoded.Ok(message), codec.decode(hex(name)));
        }));
        checks.put("dht.ping-padded", () -> {
            // A PING's datagram is as long as its PONG's: the PONG's message and the larger envelope of a response.
            int padded = codec.encode(messages.get("dht.pong")).length + Envelope.RESPONSE_OVERHEAD - Envelope.REQUEST_OVERHEAD;
            assertEquals(65, padded);
            assertArrayEquals(hex("dht.ping-padded"), codec.encode(new Ping(tx, a), padded));
            assertEquals(new dev.kadshare.dht.wire.Decoded.Ok(new Ping(tx, a)), codec.decode(hex("dht.ping-padded")));
        });
        byte[] key07 = DhtKey.fromIdentitySeed(filled(7)).publicKey();
        byte[] key08 = DhtKey.fromIdentitySeed(filled(8)).publicKey();
        checks.put("dht.request", () -> {
            byte[] datagram = hex("dht.request");
            assertArrayEquals(datagram, Envelope.request(key07, codec.encode(new Ping(tx, a), 65)));
            Envelope.Opened.Request opened = assertInstanceOf(Envelope.Opened.Request.class, Envelope.open(datagram));
            assertArrayEquals(key07, opened.senderKey());
            assertEquals(new dev.kadshare.dht.wire.Decoded.Ok(new Ping(tx, a)), codec.decode(opened.message()));
        });
        checks.put("dht.response", () -> {
            byte[] session = HEX.parseHex(text("dht.session-07-08"));
            byte[] datagram = hex("dht.response");
            assertArrayEquals(datagram, Envelope.response(key08, session, codec.encode(messages.get("dht.pong"))));
            Envelope.Opened.Response opened = assertInstanceOf(Envelope.Opened.Response.class, Envelope.open(datagram));
            assertArrayEquals(key08, opened.senderKey());
            assertEquals(new dev.kadshare.dht.wire.Decoded.Ok(messages.get("dht.pong")), codec.decode(opened.message()));
            assertTrue(Envelope.tagHolds(datagram, session));
            // The tag as the document says: HMAC-SHA-256 over the datagram without its 16 tag bytes, cut to 16.
            byte[] untagged = new byte[datagram.length - Envelope.TAG_BYTES];
            System.arraycopy(datagram, 0, untagged, 0, Envelope.REQUEST_OVERHEAD);
            System.arraycopy(datagram, Envelope.RESPONSE_OVERHEAD, untagged, Envelope.REQUEST_OVERHEAD,
                    datagram.length - Envelope.RESPONSE_OVERHEAD);
            assertArrayEquals(Arrays.copyOfRange(datagram, Envelope.REQUEST_OVERHEAD, Envelope.RESPONSE_OVERHEAD),
                    Arrays.copyOf(hmac(session, untagged), Envelope.TAG_BYTES));
            datagram[datagram.length - 1] ^= 1;
            assertFalse(Envelope.tagHolds(datagram, session), "a bit flipped breaks the tag");
        });
    }

    /** The DHT keys of seeds 07 x 32 and 08 x 32, the ids of the first at two addresses, and their session key. */
    private static void dhtIdentityChecks(Map<String, Executable> checks) {
        DhtKey key07 = DhtKey.fromIdentitySeed(filled(7));
        DhtKey key08 = DhtKey.fromIdentitySeed(filled(8));
        checks.put("dht.private-07", () -> privateScalar("dht.private-07", filled(7), key07));
        checks.put("dht.private-08", () -> privateScalar("dht.private-08", filled(8), key08));
        checks.put("dht.key-07", () -> {
            assertArrayEquals(hex("dht.key-07"), key07.publicKey());
            // The Ed25519 identity key in Montgomery form: u = (1 + y) / (1 - y) mod 2^255 - 19.
            byte[] ed25519 = new Ed25519PrivateKeyParameters(filled(7), 0).generatePublicKey().getEncoded();
            assertEquals("ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c", HEX.formatHex(ed25519));
            assertArrayEquals(key07.publicKey(), montgomery(ed25519));
        });
        checks.put("dht.key-08", () -> assertArrayEquals(hex("dht.key-08"), key08.publicKey()));
        checks.put("dht.key-07-sha256", () -> assertEquals(text("dht.key-07-sha256"), HEX.formatHex(sha256(key07.publicKey()))));
        checks.put("dht.id-masked", () -> idAt("dht.id-masked", "dht.id", "203.0.113.7", key07));
        checks.put("dht.id-crc", () -> assertEquals(text("dht.id-crc"), HEX.formatHex(crc32c(hex("dht.id-masked")))));
        checks.put("dht.id", () -> assertEquals(text("dht.id"),
                IdRule.idFor(InetAddress.getByName("203.0.113.7"), key07.publicKey()).toHex()));
        checks.put("dht.id-ipv6-masked", () -> idAt("dht.id-ipv6-masked", "dht.id-ipv6", "2001:db8::7", key07));
        checks.put("dht.id-ipv6", () -> {
            NodeId id = NodeId.fromHex(text("dht.id-ipv6"));
            assertEquals(IdRule.idFor(InetAddress.getByName("2001:db8::7"), key07.publicKey()), id);
            assertTrue(IdRule.prefixMatches(id, InetAddress.getByName("2001:db8::7")));
            // An IPv4-mapped address is its IPv4 address.
            assertEquals(text("dht.id"), IdRule.idFor(InetAddress.getByAddress(
                    HEX.parseHex("00000000000000000000ffffcb007107")), key07.publicKey()).toHex());
        });
        checks.put("dht.shared-07-08", () -> {
            byte[] shared = new byte[32];
            assertTrue(X25519.calculateAgreement(HEX.parseHex(text("dht.private-08")), 0, key07.publicKey(), 0, shared, 0));
            assertEquals(text("dht.shared-07-08"), HEX.formatHex(shared));
            assertTrue(X25519.calculateAgreement(HEX.parseHex(text("dht.private-07")), 0, key08.publicKey(), 0, shared, 0));
            assertEquals(text("dht.shared-07-08"), HEX.formatHex(shared), "the same from either end");
        });
        checks.put("dht.session-07-08", () -> {
            String session = text("dht.session-07-08");
            assertEquals(session, HEX.formatHex(X25519SessionKeys.INSTANCE.derive(key07, key08.publicKey()).orElseThrow()));
            assertEquals(session, HEX.formatHex(X25519SessionKeys.INSTANCE.derive(key08, key07.publicKey()).orElseThrow()));
            // As the document says: keyed with the shared secret, over the label, the lower key, the higher key.
            assertTrue(Arrays.compareUnsigned(key07.publicKey(), key08.publicKey()) < 0, "07's key is the lower");
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes("kadshare dht session v1".getBytes(StandardCharsets.US_ASCII));
            data.writeBytes(key07.publicKey());
            data.writeBytes(key08.publicKey());
            assertEquals(session, HEX.formatHex(hmac(HEX.parseHex(text("dht.shared-07-08")), data.toByteArray())));
            // A key of small order gives none.
            assertTrue(X25519SessionKeys.INSTANCE.derive(key07, new byte[32]).isEmpty());
        });
    }

    /** The scalar of the document: the first half of SHA-512(seed), and it is the key's (its public key follows). */
    private static void privateScalar(String name, byte[] seed, DhtKey key) throws GeneralSecurityException {
        byte[] scalar = HEX.parseHex(text(name));
        assertArrayEquals(Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(seed), 32), scalar);
        byte[] publicKey = new byte[32];
        X25519.scalarMultBase(scalar, 0, publicKey, 0);
        assertArrayEquals(key.publicKey(), publicKey);
    }

    /**
     * The masked address of an id example, made as the document says (r from the key's SHA-256; the IP AND the mask,
     * r in the top 3 bits): its CRC32C's first 21 bits are the id's, the rest of the id is the SHA-256's.
     */
    private static void idAt(String masked, String idName, String ip, DhtKey key) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        byte[] sha = sha256(key.publicKey());
        long r = sha[31] & 0x07;
        byte[] raw = address.getAddress();
        ByteBuffer made = ByteBuffer.allocate(raw.length == 4 ? 4 : 8);
        if (raw.length == 4) {
            made.putInt((int) (ByteBuffer.wrap(raw).getInt() & 0x030f3fffL | r << 29));
        } else {
            made.putLong(ByteBuffer.wrap(raw).getLong() & 0x0103070f1f3f7fffL | r << 61);
        }
        assertArrayEquals(hex(masked), made.array());
        byte[] crc = crc32c(made.array());
        byte[] id = NodeId.fromHex(text(idName)).bytes();
        assertEquals(crc[0], id[0]);
        assertEquals(crc[1], id[1]);
        assertEquals(crc[2] & 0xf8, id[2] & 0xf8);
        assertEquals(sha[2] & 0x07, id[2] & 0x07);
        assertArrayEquals(Arrays.copyOfRange(sha, 3, 32), Arrays.copyOfRange(id, 3, 32));
        assertEquals(IdRule.idFor(address, key.publicKey()), NodeId.of(id));
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    }

    /** The X25519 (Montgomery u) form of an Ed25519 public key (RFC 7748's birational map). */
    private static byte[] montgomery(byte[] ed25519) {
        BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        byte[] bigEndian = ed25519.clone();
        bigEndian[31] &= 0x7f; // the sign of x
        reverse(bigEndian);
        BigInteger y = new BigInteger(1, bigEndian);
        BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).modInverse(p)).mod(p);
        byte[] out = new byte[32];
        byte[] be = u.toByteArray();
        for (int i = 0; i < Math.min(32, be.length); i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static void reverse(byte[] bytes) {
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
    }

    // ---- transfer --------------------------------------------------------------------------------------

    private static void transferChecks(Map<String, Executable> checks) {
        BitSet held = new BitSet();
        held.set(0);
        held.set(2);
        Map<String, Message> messages = new LinkedHashMap<>();
        messages.put("transfer.hello", new Message.Hello(FrameCodec.PROTOCOL_VERSION, HELLO_ID, 7700));
        messages.put("transfer.hello-server", new Message.Hello(FrameCodec.PROTOCOL_VERSION, HELLO_ID));
        messages.put("transfer.bitfield", Message.Bitfield.of(held));
        messages.put("transfer.peers", Message.Peers.of(List.of(new InetSocketAddress("127.0.0.1", 7701),
                new InetSocketAddress("::1", 7702))));
        messages.put("transfer.choke", new Message.Choke());
        messages.put("transfer.unchoke", new Message.Unchoke());
        messages.put("transfer.manifest-request", new Message.ManifestRequest());
        messages.put("transfer.manifest", new Message.ManifestData(manifest().canonicalBytes()));
        messages.put("transfer.request", new Message.Request(2));
        messages.put("transfer.reject", new Message.Reject(1, "chunk 1 not held yet"));
        messages.put("transfer.cancel", new Message.Cancel(1));
        messages.put("transfer.have", new Message.Have(1));
        messages.put("transfer.goodbye", new Message.Goodbye("unsupported protocol version 6"));
        messages.forEach((name, message) -> checks.put(name, () -> {
            assertArrayEquals(hex(name), encode(message), message.toString());
            assertEquals(new Decoded.Ok(message), decodeFrame(hex(name)));
        }));
        checks.put("transfer.chunk", () -> {
            assertArrayEquals(hex("transfer.chunk"), encode(new Message.Chunk(2, ascii("89"))));
            Message.Chunk chunk = (Message.Chunk) assertInstanceOf(Decoded.Ok.class, decodeFrame(hex("transfer.chunk"))).message();
            assertEquals(2, chunk.index());
            assertEquals(ascii("89"), chunk.body());
        });
    }

    private static byte[] encode(Message message) {
        ByteBuf frame = new FrameCodec().encode(message, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    /** Decodes a whole frame as the receiving pipeline does: the length prefix first, then the rest. */
    private static Decoded decodeFrame(byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        assertEquals(frame.length - FrameCodec.LENGTH_FIELD_BYTES, buf.readInt(), "length prefix");
        return new FrameCodec().decode(buf);
    }

    // ---- manifest, sidecar, snapshot, link -------------------------------------------------------------

    /** "0123456789" as hello.txt in 4-byte chunks, as in ManifestTest. */
    private static Manifest manifest() {
        return Manifest.of("hello.txt", 10, 4, chunkHashes());
    }

    /** The same bytes as a directory d of a.txt ("01234") and b/c.txt ("56789"). */
    private static Manifest directoryManifest() {
        return Manifest.ofFiles("d", List.of(new ContentFile("a.txt", 5), new ContentFile("b/c.txt", 5)), 4, chunkHashes());
    }

    private static List<byte[]> chunkHashes() {
        return Stream.of("0123", "4567", "89").map(s -> Sha256.of(s.getBytes(StandardCharsets.US_ASCII))).toList();
    }

    private static void manifestBytes(String name, Manifest manifest) throws Exception {
        assertArrayEquals(hex(name), manifest.canonicalBytes());
        assertEquals(manifest, Manifest.decode(hex(name)));
    }

    /**
     * The sidecar a download of hello.txt leaves after storing chunks 0 and 2 and closing cleanly, its part last
     * written at 2026-12-04T00:00:00Z.
     */
    private void sidecar() throws IOException {
        Manifest manifest = manifest();
        try (ChunkStore store = ChunkStore.create(manifest, dir)) {
            for (int index : new int[] {0, 2}) {
                store.writeData(index, ascii(index == 0 ? "0123" : "89"));
                store.markStored(index);
            }
            Files.setLastModifiedTime(store.partFile(), FileTime.from(Instant.parse("2026-12-04T00:00:00Z")));
        }
        Path sidecar = dir.resolve("." + HELLO_ID.toHex() + ".kadshare-state");
        assertArrayEquals(hex("sidecar.file"), Files.readAllBytes(sidecar));
        try (ChunkStore resumed = ChunkStore.resume(HELLO_ID, dir).orElseThrow()) {
            assertEquals(BitSet.valueOf(new long[] {0b101}), resumed.verified());
            assertEquals(LastStop.CLEAN, resumed.lastStop());
            assertEquals(manifest, resumed.manifest());
        }
    }

    private void snapshot() throws IOException {
        RoutingSnapshot snapshot = new RoutingSnapshot(NodeId.fromHex("aa".repeat(32)), List.of(
                new Contact(NodeId.fromHex("bb".repeat(32)), new InetSocketAddress("127.0.0.1", 7700)),
                new Contact(NodeId.fromHex("cc".repeat(32)), new InetSocketAddress("::1", 7701))));
        RoutingSnapshotFile file = new RoutingSnapshotFile(dir.resolve("routing.snapshot"));
        file.save(snapshot);
        assertEquals(text("snapshot.file") + "\n", Files.readString(file.path()));
        assertEquals(Optional.of(snapshot), file.load());
    }

    private static void magnet(String name, MagnetLink link) {
        assertEquals(text(name), link.format());
        assertEquals(link, MagnetLink.parse(text(name)));
    }

    // ---- the document's notation -----------------------------------------------------------------------

    private static String text(String name) {
        String example = examples.get(name);
        assertTrue(example != null && example.startsWith("text "), name + " is not a text example");
        return example.substring("text ".length());
    }

    private static byte[] hex(String name) {
        return hex(examples, name);
    }

    /** The bytes of a hex example: hex digits, XX*N for N repeats, {name} for another example's bytes, # comments. */
    private static byte[] hex(Map<String, String> examples, String name) {
        String example = examples.get(name);
        assertTrue(example != null && example.startsWith("hex "), name + " is not a hex example");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : example.substring("hex ".length()).split("\n")) {
            int comment = line.indexOf('#');
            for (String token : (comment < 0 ? line : line.substring(0, comment)).trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.startsWith("{") && token.endsWith("}")) {
                    out.writeBytes(hex(examples, token.substring(1, token.length() - 1)));
                    continue;
                }
                Matcher m = HEX_TOKEN.matcher(token);
                assertTrue(m.matches(), "in " + name + ": '" + token + "' is not hex");
                byte[] bytes = HEX.parseHex(m.group(1));
                int times = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                for (int i = 0; i < times; i++) {
                    out.writeBytes(bytes);
                }
            }
        }
        return out.toByteArray();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void theNotationReadsRepeatsReferencesAndComments() {
        Map<String, String> notation = Map.of("x.a", "hex 01 02*3  # a comment, 99\n{x.b} ff", "x.b", "hex 0a0b");
        assertEquals("010202020a0bff", HEX.formatHex(hex(notation, "x.a")));
    }
}
