package dev.kadshare.dht.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.token.WriteToken;
import java.util.Arrays;

/**
 * Encodes and decodes DHT messages (what an {@link Envelope} carries): {@code [version byte][type id varint][txId][sender][body]}, a response's body
 * starting with the address it observed the request coming from, a request's body followed by zero bytes of padding
 * if its sender pads it (a responder answers no request with more bytes than it came in: {@link #encode(Message, int)}).
 * Every message class is registered under a fixed id and registration is required, so no other class
 * can ever be instantiated from the wire. Not thread-safe (Kryo is not): one codec per node.
 */
public final class MessageCodec {
    public static final byte VERSION = 3;
    /** Keeps datagrams under typical path MTUs after IP/UDP headers, so they are never fragmented. */
    public static final int MAX_DATAGRAM = 1400;
    /** The largest message: a datagram less its {@link Envelope} (at most {@link Envelope#RESPONSE_OVERHEAD}). */
    public static final int MAX_MESSAGE = MAX_DATAGRAM - Envelope.RESPONSE_OVERHEAD;

    // Fixed wire ids: changing one is a protocol change and needs a VERSION bump.
    static final int PING = 100;
    static final int PONG = 101;
    static final int FIND_NODE = 102;
    static final int NODES = 103;
    static final int GET_PEERS = 104;
    static final int PEERS = 105;
    static final int ANNOUNCE_PEER = 106;
    static final int ANNOUNCED = 107;
    static final int GET_RECORDS = 108;
    static final int RECORDS = 109;
    static final int PUT_RECORD = 110;
    static final int STORED = 111;
    static final int WITHDRAW_PEER = 112;
    static final int PEER_WITHDRAWN = 113;
    static final int CONNECT = 114;
    static final int CONNECT_FORWARDED = 115;
    static final int INTRODUCE = 116;
    static final int INTRODUCED = 117;
    /** Values a {@link Records} reply can hold at most (each at least one byte plus its prefix). */
    private static final int MAX_VALUES = Records.MAX_VALUE_BYTES / 3;

    /** How the detail of a rejection starts when decoding failed in a way no check foresaw. */
    static final String UNEXPECTED = "unexpected ";

    private final Kryo kryo = new Kryo();
    private final Output output = new Output(MAX_MESSAGE, MAX_MESSAGE);

    public MessageCodec() {
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(Ping.class, MessageSerializer.headerOnly(Ping::new), PING);
        kryo.register(Pong.class, MessageSerializer.observedOnly(Pong::new), PONG);
        kryo.register(FindNode.class, new MessageSerializer<FindNode>(
                (out, m) -> Fields.writeNodeId(out, m.target()),
                (tx, sender, in) -> new FindNode(tx, sender, Fields.readNodeId(in))), FIND_NODE);
        kryo.register(Nodes.class, MessageSerializer.<Nodes>response(
                (out, m) -> Fields.writeList(out, m.contacts(), Fields::writeContact),
                (tx, sender, observed, in) -> new Nodes(tx, sender, observed,
                        Fields.readList(in, Nodes.MAX_CONTACTS, Fields::readContact))), NODES);
        kryo.register(GetPeers.class, new MessageSerializer<GetPeers>(
                (out, m) -> Fields.writeNodeId(out, m.key()),
                (tx, sender, in) -> new GetPeers(tx, sender, Fields.readNodeId(in))), GET_PEERS);
        kryo.register(Peers.class, MessageSerializer.<Peers>response(
                (out, m) -> {
                    Fields.writeToken(out, m.token());
                    Fields.writeList(out, m.peers(), Fields::writePeer);
                    Fields.writeList(out, m.nodes(), Fields::writeContact);
                },
                (tx, sender, observed, in) -> new Peers(tx, sender, observed, Fields.readToken(in),
                        Fields.readList(in, Peers.MAX_PEERS, Fields::readPeer),
                        Fields.readList(in, Nodes.MAX_CONTACTS, Fields::readContact))), PEERS);
        kryo.register(AnnouncePeer.class, new MessageSerializer<AnnouncePeer>(
                (out, m) -> {
                    writePeerEntry(out, m);
                    Fields.writeLinkKey(out, m.linkKey());
                },
                (tx, sender, in) -> readPeerEntry(in, (key, port, token) ->
                        new AnnouncePeer(tx, sender, key, port, token, Fields.readLinkKey(in)))), ANNOUNCE_PEER);
        kryo.register(Announced.class, MessageSerializer.observedOnly(Announced::new), ANNOUNCED);
        kryo.register(WithdrawPeer.class, new MessageSerializer<WithdrawPeer>(MessageCodec::writePeerEntry,
                (tx, sender, in) -> readPeerEntry(in, (key, port, token) -> new WithdrawPeer(tx, sender, key, port, token))),
                WITHDRAW_PEER);
        kryo.register(PeerWithdrawn.class, MessageSerializer.observedOnly(PeerWithdrawn::new), PEER_WITHDRAWN);
        kryo.register(GetRecords.class, new MessageSerializer<GetRecords>(
                (out, m) -> {
                    Fields.writeNodeId(out, m.key());
                    out.writeVarInt(m.skip(), true);
                },
                (tx, sender, in) -> new GetRecords(tx, sender, Fields.readNodeId(in), in.readVarInt(true))), GET_RECORDS);
        kryo.register(Records.class, MessageSerializer.<Records>response(
                (out, m) -> {
                    Fields.writeToken(out, m.token());
                    Fields.writeList(out, m.values(), Fields::writeValue);
                    Fields.writeList(out, m.nodes(), Fields::writeContact);
                    out.writeVarInt(m.remaining(), true);
                },
                (tx, sender, observed, in) -> new Records(tx, sender, observed, Fields.readToken(in),
                        Fields.readList(in, MAX_VALUES, Fields::readValue),
                        Fields.readList(in, Nodes.MAX_CONTACTS, Fields::readContact), in.readVarInt(true))), RECORDS);
        kryo.register(PutRecord.class, new MessageSerializer<PutRecord>(
                (out, m) -> {
                    Fields.writeNodeId(out, m.key());
                    Fields.writeValue(out, m.value());
                    out.writeVarInt(m.ttlSeconds(), true);
                    Fields.writeToken(out, m.token());
                },
                (tx, sender, in) -> new PutRecord(tx, sender, Fields.readNodeId(in), Fields.readValue(in),
                        in.readVarInt(true), Fields.readToken(in))), PUT_RECORD);
        kryo.register(Stored.class, MessageSerializer.observedOnly(Stored::new), STORED);
        kryo.register(ConnectRequest.class, new MessageSerializer<ConnectRequest>(
                (out, m) -> {
                    Fields.writeNodeId(out, m.key());
                    Fields.writeAddress(out, m.peer());
                    out.writeShort(m.port());
                },
                (tx, sender, in) -> new ConnectRequest(tx, sender, Fields.readNodeId(in), Fields.readAddress(in),
                        in.readShort() & 0xFFFF)), CONNECT);
        kryo.register(ConnectForwarded.class, MessageSerializer.observedOnly(ConnectForwarded::new), CONNECT_FORWARDED);
        kryo.register(Introduce.class, new MessageSerializer<Introduce>(
                (out, m) -> {
                    Fields.writeNodeId(out, m.key());
                    Fields.writeAddress(out, m.getter());
                },
                (tx, sender, in) -> new Introduce(tx, sender, Fields.readNodeId(in), Fields.readAddress(in))), INTRODUCE);
        kryo.register(Introduced.class, MessageSerializer.observedOnly(Introduced::new), INTRODUCED);
    }

    /** Builds a request from the peer entry it names. */
    @FunctionalInterface
    private interface PeerEntryReader<T> {
        T read(NodeId key, int port, WriteToken token);
    }

    /** An announcement and its withdrawal start alike: key, port, write token (an announcement adds its link key). */
    private static void writePeerEntry(Output out, PeerEntry m) {
        Fields.writeNodeId(out, m.key());
        out.writeShort(m.port());
        Fields.writeToken(out, m.token());
    }

    private static <T> T readPeerEntry(Input in, PeerEntryReader<T> reader) {
        return reader.read(Fields.readNodeId(in), in.readShort() & 0xFFFF, Fields.readToken(in));
    }

    /**
     * Encodes one message. Throws IllegalArgumentException if it would exceed {@link #MAX_MESSAGE},
     * which the record size limits rule out; that would be a bug of ours, not bad input.
     */
    public byte[] encode(Message message) {
        output.reset();
        try {
            output.writeByte(VERSION);
            Registration registration = kryo.getRegistration(message.getClass());
            output.writeVarInt(registration.getId(), true);
            kryo.writeObject(output, message);
        } catch (KryoBufferOverflowException e) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() +  " exceeds " + MAX_MESSAGE + " bytes", e);
        }
        return output.toBytes();
    }

    /**
     * Encodes a request padded with zero bytes to {@code length} (at most {@link #MAX_MESSAGE}), so that the answer
     * it asks for may be as large: a responder never sends more bytes than the request it answers brought.
     */
    public byte[] encode(Request request, int length) {
        byte[] plain = encode(request);
        int padded = Math.min(length, MAX_MESSAGE);
        return plain.length >= padded ? plain : Arrays.copyOf(plain, padded);
    }

    /** Decodes one message (a datagram's {@link Envelope} opened); any bad input becomes {@link Decoded.Rejected}, never an exception. */
    public Decoded decode(byte[] data) {
        if (data.length == 0) {
            return new Decoded.Rejected(RejectReason.EMPTY, "empty datagram");
        }
        if (data.length > MAX_MESSAGE) {
            return new Decoded.Rejected(RejectReason.OVERSIZED, data.length + " bytes");
        }
        if (data[0] != VERSION) {
            return new Decoded.Rejected(RejectReason.UNSUPPORTED_VERSION, "version " + data[0]);
        }
        Input input = new Input(data, 1, data.length - 1);
        try {
            int typeId = input.readVarInt(true);
            Registration registration = kryo.getClassResolver().getRegistration(typeId);
            // Kryo pre-registers primitives and String at low ids: only our message classes may decode.
            if (registration == null || !Message.class.isAssignableFrom(registration.getType())) {
                return new Decoded.Rejected(RejectReason.UNKNOWN_TYPE, "type id " + typeId);
            }
            Message message = (Message) kryo.readObject(input, registration.getType());
            int end = input.position();
            // Only a request may be padded, and only with zero bytes: nothing else may hide after its fields.
            if (end != data.length && !(message instanceof Request && zeros(data, end))) {
                return new Decoded.Rejected(RejectReason.MALFORMED, (data.length - end) + " trailing bytes");
            }
            return new Decoded.Ok(message);
        } catch (KryoBufferUnderflowException e) {
            return new Decoded.Rejected(RejectReason.TRUNCATED, String.valueOf(e.getMessage()));
        } catch (MalformedFieldException | KryoException | IllegalArgumentException e) {
            return new Decoded.Rejected(RejectReason.MALFORMED, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // Last line of defence: a datagram must never take the event loop down. The detail says it was not
            // foreseen (the fuzz test looks for it): some check above is missing.
            return new Decoded.Rejected(RejectReason.MALFORMED, UNEXPECTED + e);
        }
    }

    private static boolean zeros(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
