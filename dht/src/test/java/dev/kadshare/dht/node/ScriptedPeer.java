package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.wire.Decoded;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import java.net.InetSocketAddress;
import java.util.random.RandomGenerator;

/**
 * A peer a test speaks for: a key of its own, the id its key and address give it, and datagrams to one node sealed as
 * a real node seals them (a request with its key, an answer tagged under their session key).
 */
final class ScriptedPeer {
    private final MessageCodec codec = new MessageCodec();
    final DhtKey key;
    final InetSocketAddress address;
    private final byte[] nodeKey;

    /** A peer at {@code address} speaking to the node whose public key is {@code nodeKey}. */
    ScriptedPeer(InetSocketAddress address, byte[] nodeKey, RandomGenerator random) {
        this.key = DhtKey.generate(random);
        this.address = address;
        this.nodeKey = nodeKey;
    }

    /** The id the rule gives this peer at its address. */
    NodeId id() {
        return IdRule.idFor(address.getAddress(), key.publicKey());
    }

    /** {@code message} as a datagram from this peer: a request with its key, an answer tagged for the node. */
    byte[] seal(Message message) {
        return message instanceof Request request ? Envelope.request(key.publicKey(), codec.encode(request))
                : Envelope.response(key.publicKey(), session(), codec.encode((Response) message));
    }

    /** A request padded to {@code length} bytes of message, as {@link MessageCodec#encode(Request, int)} pads. */
    byte[] seal(Request request, int length) {
        return Envelope.request(key.publicKey(), codec.encode(request, length));
    }

    private byte[] session() {
        return X25519SessionKeys.INSTANCE.derive(key, nodeKey).orElseThrow();
    }

    /** The message of a datagram a node sent, whatever its envelope. */
    static Message open(byte[] datagram) {
        byte[] message = ((Envelope.Opened.Carrying) Envelope.open(datagram)).message();
        return ((Decoded.Ok) new MessageCodec().decode(message)).message();
    }
}
