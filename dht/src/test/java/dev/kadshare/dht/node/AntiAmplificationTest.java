package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.store.SignedRecords;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Request;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** No reply is larger than the request it answers, so spoofed requests make no node a reflector; honest ones get whole answers. */
class AntiAmplificationTest {
    private static final int NODES = 60;
    private static final int SPOOFED = 10_000;

    @Test
    void spoofedRequestsFromOneAddressBringItNoMoreBytesThanTheySent() {
        SimulatedDht dht = new SimulatedDht(12);
        dht.grow(NODES);
        // Keys with peers and with records, so GET_PEERS and GET_RECORDS answers carry what they can.
        List<NodeId> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            NodeId key = NodeId.random(dht.random);
            keys.add(key);
            DhtNode owner = dht.alive.get(i);
            dht.await(owner.announce(key, 6881));
            for (int r = 0; r < 4; r++) {
                dht.await(dht.alive.get(i + 10 + r).put(key, ("record " + r + " of a keyword").repeat(4)
                        .getBytes(StandardCharsets.US_ASCII)));
            }
        }
        InetSocketAddress victim = new InetSocketAddress("192.0.2.1", 6881);
        long[] bytesToVictim = new long[1];
        dht.network.listen(victim, (from, datagram) -> bytesToVictim[0] += datagram.length);
        MessageCodec codec = new MessageCodec();
        SplittableRandom random = new SplittableRandom(5);
        long bytesFromVictim = 0;
        for (int i = 0; i < SPOOFED; i++) {
            // A new key and the id it gives at the victim's address each time: each could enter a table, so each is checked.
            byte[] senderKey = new byte[Envelope.KEY_BYTES];
            random.nextBytes(senderKey);
            NodeId sender = IdRule.idFor(victim.getAddress(), senderKey);
            NodeId key = random.nextInt(3) == 0 ? keys.get(random.nextInt(keys.size())) : NodeId.random(random);
            Request request = switch (i % 4) {
                case 0 -> new FindNode(i, sender, key);
                case 1 -> new GetPeers(i, sender, key);
                case 2 -> new GetRecords(i, sender, key, 0);
                default -> new Ping(i, sender);
            };
            // Half as a plain attacker sends them, half padded by some bytes: neither gets more than it brought.
            byte[] datagram = Envelope.request(senderKey,
                    i % 8 < 4 ? codec.encode(request) : codec.encode(request, 60 + random.nextInt(1300)));
            bytesFromVictim += datagram.length;
            dht.alive.get(random.nextInt(NODES)).onDatagram(victim, datagram);
            if (i % 1_000 == 999) {
                dht.runFor(Duration.ofSeconds(3)); // replies land, checks time out
            }
        }
        dht.runFor(Duration.ofSeconds(5));
        double amplification = bytesToVictim[0] / (double) bytesFromVictim;
        System.out.printf("spoofed %d requests, %d bytes in, %d bytes out: amplification %.3f; trimmed %d NODES, %d PEERS,"
                + " %d RECORDS; %d not answered; %d checks skipped%n", SPOOFED, bytesFromVictim, bytesToVictim[0], amplification,
                dht.sum("reply.trimmed.Nodes"), dht.sum("reply.trimmed.Peers"), dht.sum("reply.trimmed.Records"),
                dht.sum("dropped.REPLY_OVER_REQUEST"), dht.sum("verify.skipped.BUDGET"));
        assertTrue(amplification <= 1.0, "amplification " + amplification);
        long answered = dht.sum("rpc.sent.Nodes") + dht.sum("rpc.sent.Peers") + dht.sum("rpc.sent.Records");
        assertTrue(dht.sum("reply.trimmed.Nodes") > 500 && dht.sum("reply.trimmed.Peers") > 500
                        && dht.sum("reply.trimmed.Records") > 500,
                "unpadded asks get trimmed answers");
        assertTrue(dht.sum("dropped.REPLY_OVER_REQUEST") > 1_000, "an unpadded PING gets no PONG");
        assertTrue(answered > 0 && bytesToVictim[0] > 0, "the spoofed requests were answered, within their size");
    }

    @Test
    void honestLookupsGetWholeAnswersAndNodesStillEnterTables() {
        SimulatedDht dht = new SimulatedDht(13);
        dht.grow(NODES);
        NodeId key = NodeId.random(dht.random);
        DhtNode announcer = dht.alive.get(7);
        assertTrue(dht.await(announcer.announce(key, 6881)) >= 1);
        byte[] value = "an honest record".getBytes(StandardCharsets.US_ASCII);
        assertTrue(dht.await(dht.alive.get(8).put(key, value)) >= 1);
        for (int i = 0; i < 20; i++) {
            DhtNode getter = dht.alive.get(20 + i);
            assertTrue(dht.await(getter.findPeers(key)).contains(new InetSocketAddress(announcer.localAddress().getAddress(), 6881)));
            assertTrue(dht.await(getter.get(key)).stream().anyMatch(v -> java.util.Arrays.equals(v, value)));
        }
        for (DhtNode node : dht.alive) {
            Map<String, Long> counters = node.status().counters();
            counters.forEach((name, count) -> assertTrue(!name.startsWith("reply.trimmed.")
                    && !name.equals("dropped.REPLY_OVER_REQUEST"), name + " " + count));
            assertTrue(node.status().routingTableSize() >= 10, "table of " + node.status().routingTableSize());
        }
    }

    @Test
    void aTrimmedPageCountsTheValuesLeftOutAsRemaining() {
        SplittableRandom random = new SplittableRandom(1);
        NodeId key = NodeId.random(random);
        List<RecordValue> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            values.add(SignedRecords.sized(150, random));
        }
        Records page = new Records(1, NodeId.random(random), new InetSocketAddress("192.0.2.1", 1),
                WriteToken.of(new byte[32]), values, List.of(), 3);
        MessageCodec codec = new MessageCodec();
        int whole = codec.encode(page).length;
        var fit = assertInstanceOf(AmplificationLimit.Fit.Trimmed.class, AmplificationLimit.fit(page, whole - 1, codec));
        assertTrue(fit.datagram().length <= whole - 1);
        assertEquals(1, fit.cut());
        Records trimmed = (Records) ((dev.kadshare.dht.wire.Decoded.Ok) codec.decode(fit.datagram())).message();
        assertEquals(values.subList(0, 5), trimmed.values());
        assertEquals(4, trimmed.remaining());
        assertInstanceOf(AmplificationLimit.Fit.Whole.class, AmplificationLimit.fit(page, whole, codec));
        Nodes none = new Nodes(1, NodeId.random(random), new InetSocketAddress("192.0.2.1", 1),
                List.of(new Contact(key, new InetSocketAddress("192.0.2.2", 2))));
        assertInstanceOf(AmplificationLimit.Fit.TooLarge.class, AmplificationLimit.fit(none, 40, codec));
    }
}
