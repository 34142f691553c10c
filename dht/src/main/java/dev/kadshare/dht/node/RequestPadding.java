package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.dht.wire.Request;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;

/**
 * How many bytes a request is padded to (QUIC's rule for a first contact): the largest answer it asks for plus a PING
 * the responder may send to check us before taking us in, since a responder sends nobody more bytes than its request
 * brought ({@link AmplificationLimit}). So an honest request is answered whole without a round trip for a cookie.
 */
final class RequestPadding {
    /** A write token as this node issues them: HMAC-SHA-256, 32 bytes. */
    private static final int TOKEN_BYTES = 32;
    private static final Sizes IPV4 = Sizes.of(new InetSocketAddress("255.255.255.255", 65535));
    private static final Sizes IPV6 = Sizes.of(new InetSocketAddress("ffff::ffff", 65535));

    private RequestPadding() {
    }

    /** The length the message of {@code request} to {@code to} is padded to (its {@link Envelope} comes on top). */
    static int of(Request request, InetSocketAddress to) {
        if (request instanceof Ping) {
            return pingDatagram(to) - Envelope.REQUEST_OVERHEAD; // no room for a check back: nobody needs one to enter our table
        }
        Sizes sizes = sizes(to);
        if (request instanceof GetRecords) {
            return MessageCodec.MAX_MESSAGE; // a page of values fills a datagram
        }
        int answer = request instanceof FindNode ? sizes.nodes() : request instanceof GetPeers ? sizes.peers()
                : sizes.pong(); // every other answer is a header and the observed address
        return Math.min(MessageCodec.MAX_MESSAGE,
                Envelope.RESPONSE_OVERHEAD + answer + pingDatagram(to) - Envelope.REQUEST_OVERHEAD);
    }

    /** The bytes of a PING datagram as it is sent: as many as its PONG's. */
    static int pingDatagram(InetSocketAddress to) {
        return Envelope.RESPONSE_OVERHEAD + sizes(to).pong();
    }

    private static Sizes sizes(InetSocketAddress to) {
        return to.getAddress() instanceof Inet4Address ? IPV4 : IPV6;
    }

    /** Encoded sizes of the largest answers, for one address family. */
    private record Sizes(int pong, int nodes, int peers) {
        static Sizes of(InetSocketAddress address) {
            MessageCodec codec = new MessageCodec();
            NodeId id = NodeId.of(new byte[NodeId.BYTES]);
            List<Contact> full = Collections.nCopies(Nodes.MAX_CONTACTS, new Contact(id, address));
            WriteToken token = WriteToken.of(new byte[TOKEN_BYTES]);
            return new Sizes(codec.encode(new Pong(0, id, address)).length,
                    codec.encode(new Nodes(0, id, address, full)).length,
                    codec.encode(new Peers(0, id, address, token, List.of(), full)).length);
        }
    }
}
