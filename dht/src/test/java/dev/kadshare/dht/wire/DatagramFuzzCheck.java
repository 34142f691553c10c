package dev.kadshare.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The fuzz check of a DHT datagram's whole way in, run by {@link dev.kadshare.dht.DhtDecodersFuzzTest}, one input
 * three ways:
 * <ul>
 * <li>as a message ({@link MessageCodec#decode}): a message or a counted rejection, never an exception, and a message
 * survives a round trip. The encoding is not canonical (varints may be padded, an IPv4-mapped IPv6 address comes back
 * as IPv4, a request's zero padding is not kept), so the round trip compares messages, and bytes from the second
 * encoding on;</li>
 * <li>as a datagram ({@link Envelope#open}, a response's tag, then the message): an opened request sealed again is
 * the same bytes, and a response is too exactly when its tag holds;</li>
 * <li>into a whole node ({@link DhtNode#onDatagram}) on a virtual clock, a node that has just pinged its seed and
 * takes the input from the seed's address: nothing thrown, now or as its timers run on, and a request answered with no
 * more bytes than it brought. The node is the same for every input (its randomness is seeded), so the seeds' answer to
 * its PING matches a request it waits for: the fuzzer starts from the deep end, a bound, tagged response.</li>
 * </ul>
 */
public final class DatagramFuzzCheck {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("198.51.100.1", 4000);
    private static final InetSocketAddress SEED = new InetSocketAddress("203.0.113.2", 4000);
    /** The session key the envelope seeds' responses are tagged under, so that some inputs carry a tag that holds. */
    private static final byte[] SESSION = filled(0x5e);
    private static final byte[] SENDER = filled(0x11);
    private final MessageCodec codec = new MessageCodec();

    /** The node, its clock, the bytes it sent to the seed, the seed's key, and the PING it sent the seed. */
    private record Fixture(DhtNode node, VirtualClock time, AtomicInteger toSeed, DhtKey nodeKey, DhtKey seedKey,
                           Ping ping) {
        static Fixture of() {
            SplittableRandom random = new SplittableRandom(1);
            VirtualClock time = new VirtualClock();
            AtomicInteger toSeed = new AtomicInteger();
            Ping[] ping = new Ping[1];
            DhtKey key = DhtKey.generate(random);
            DhtNode node = new DhtNode(DhtConfig.defaults(key, LOCAL.getAddress()), LOCAL, (to, data) -> {
                if (to.equals(SEED)) {
                    toSeed.addAndGet(data.length);
                    if (ping[0] == null && Envelope.open(data) instanceof Envelope.Opened.Request r
                            && new MessageCodec().decode(r.message()) instanceof Decoded.Ok ok && ok.message() instanceof Ping p) {
                        ping[0] = p;
                    }
                }
            }, (delay, task) -> time.schedule(delay, task)::cancel, time, random);
            node.bootstrap(List.of(SEED));
            return new Fixture(node, time, toSeed, key, DhtKey.generate(new SplittableRandom(2)),
                    assertInstanceOf(Ping.class, ping[0]));
        }

        NodeId seedId() {
            return IdRule.idFor(SEED.getAddress(), seedKey.publicKey());
        }

        /** {@code message} as the seed sends it to the node. */
        byte[] fromSeed(Message message, int padding) {
            MessageCodec codec = new MessageCodec();
            return message instanceof Request request
                    ? Envelope.request(seedKey.publicKey(), codec.encode(request, padding))
                    : Envelope.response(seedKey.publicKey(),
                    X25519SessionKeys.INSTANCE.derive(seedKey, nodeKey.publicKey()).orElseThrow(), codec.encode(message));
        }
    }

    /**
     * Seeds: every message type bare and in its envelope, and the node's seed's answer to its PING and requests from
     * it, padded and not (the committed corpus adds edge cases and findings).
     */
    public static Stream<byte[]> inputs() {
        MessageCodec encoder = new MessageCodec();
        Stream<byte[]> bare = MessageCodecTest.everyMessageType().map(encoder::encode);
        Stream<byte[]> enveloped = MessageCodecTest.everyMessageType().map(message -> message instanceof Request request
                ? Envelope.request(SENDER, encoder.encode(request))
                : Envelope.response(SENDER, SESSION, encoder.encode(message)));
        Fixture f = Fixture.of();
        NodeId id = f.seedId();
        NodeId target = NodeId.random(new SplittableRandom(3));
        byte[] pong = f.fromSeed(new Pong(f.ping().txId(), id, LOCAL), 0);
        f.node().onDatagram(SEED, pong);
        assertEquals(1, f.node().status().routingTableSize(), "the seeds start where an answer is taken");
        Stream<byte[]> node = Stream.of(pong,
                f.fromSeed(new Nodes(f.ping().txId(), id, LOCAL, List.of(new Contact(target, SEED))), 0),
                f.fromSeed(new Ping(7, id), 0),
                f.fromSeed(new Ping(7, id), 200),
                f.fromSeed(new FindNode(8, id, target), 1_000),
                f.fromSeed(new GetPeers(9, id, target), 1_000),
                f.fromSeed(new GetRecords(10, id, target, 0), 1_350));
        return Stream.of(bare, enveloped, node).flatMap(s -> s);
    }

    /** Checks one input the three ways. */
    public void wayIn(byte[] input) {
        asMessage(input);
        asDatagram(input);
        if (!(Envelope.open(input) instanceof Envelope.Opened.Rejected)) {
            intoNode(input); // a node only counts what no envelope holds: building one for it would slow the rest down
        }
    }

    private void asMessage(byte[] bytes) {
        Decoded decoded = codec.decode(bytes);
        if (decoded instanceof Decoded.Rejected rejected) {
            assertFalse(rejected.detail().startsWith(MessageCodec.UNEXPECTED), () -> "unforeseen failure: " + rejected);
            return;
        }
        Message message = ((Decoded.Ok) decoded).message();
        byte[] encoded = codec.encode(message);
        Decoded again = codec.decode(encoded);
        assertEquals(message, assertInstanceOf(Decoded.Ok.class, again).message());
        assertArrayEquals(encoded, codec.encode(((Decoded.Ok) again).message()));
        if (message instanceof Request request) {
            // Padded to the input's length (a request's padding is zeros and nothing else), it is still itself.
            assertEquals(message, assertInstanceOf(Decoded.Ok.class, codec.decode(codec.encode(request, bytes.length))).message());
        }
    }

    private void asDatagram(byte[] datagram) {
        Envelope.Opened opened = Envelope.open(datagram);
        byte[] message;
        if (opened instanceof Envelope.Opened.Rejected) {
            return;
        } else if (opened instanceof Envelope.Opened.Request request) {
            assertArrayEquals(datagram, Envelope.request(request.senderKey(), request.message()));
            message = request.message();
        } else if (opened instanceof Envelope.Opened.TaggedRequest request) {
            assertArrayEquals(datagram, request.datagram());
            byte[] sealed = Envelope.taggedRequest(request.senderKey(), SESSION, request.message());
            assertEquals(Arrays.equals(datagram, sealed), Envelope.tagHolds(datagram, SESSION));
            message = request.message();
        } else {
            Envelope.Opened.Response response = (Envelope.Opened.Response) opened;
            assertArrayEquals(datagram, response.datagram());
            byte[] sealed = Envelope.response(response.senderKey(), SESSION, response.message());
            assertEquals(Arrays.equals(datagram, sealed), Envelope.tagHolds(datagram, SESSION));
            message = response.message();
        }
        if (codec.decode(message) instanceof Decoded.Rejected rejected) {
            assertFalse(rejected.detail().startsWith(MessageCodec.UNEXPECTED), () -> "unforeseen failure: " + rejected);
        }
    }

    private static void intoNode(byte[] datagram) {
        Fixture f = Fixture.of();
        int before = f.toSeed().get();
        f.node().onDatagram(SEED, datagram);
        Envelope.Opened opened = Envelope.open(datagram);
        if (opened instanceof Envelope.Opened.Request || opened instanceof Envelope.Opened.TaggedRequest) {
            int sent = f.toSeed().get() - before;
            assertTrue(sent <= datagram.length, () -> sent + " bytes sent in answer to a request of " + datagram.length);
        }
        f.time().runFor(Duration.ofSeconds(5));
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[Envelope.KEY_BYTES];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }
}
