package dev.kadshare.transfer.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import dev.kadshare.transfer.content.Manifest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * The transfer wire format, as docs/PROTOCOL.md describes it byte by byte. Every frame is
 * <pre>
 *   u32 length (big-endian, of everything after it, at most MAX_FRAME_LENGTH)
 *   u8  kind   CONTROL = 1: u8 message type, then that message's fields ({@link Message.Control})
 *              CHUNK   = 2: u32 chunk index (big-endian), then the raw chunk bytes
 * </pre>
 * Each control message has an explicit Kryo serializer that writes its fields in the document's order with
 * the encodings of {@link Fields}; its type byte is its Kryo registration id, and only those ids decode, so
 * a peer can never make us instantiate anything else. Not thread-safe (Kryo is not); keeps no state between
 * calls, so one instance may serve every connection of one thread.
 */
public final class FrameCodec {
    /**
     * 2: BITFIELD after the server HELLO, HAVE, CANCEL, CHOKE/UNCHOKE; 3: the client's listening port in HELLO,
     * PEERS; 4: explicit serializers: HELLO starts with the version and lost Kryo's presence bytes, reasons are
     * length-prefixed UTF-8 (docs/PROTOCOL.md, "Version history").
     */
    public static final int PROTOCOL_VERSION = 5;
    public static final int LENGTH_FIELD_BYTES = 4;
    public static final int CHUNK_HEADER_BYTES = 1 + 4;
    /** Largest frame after the length field: one maximum-size chunk plus its header. */
    public static final int MAX_FRAME_LENGTH = Manifest.MAX_CHUNK_SIZE + CHUNK_HEADER_BYTES;

    static final byte TYPE_CONTROL = 1;
    static final byte TYPE_CHUNK = 2;

    // Control message types, the byte after TYPE_CONTROL. Changing one is a wire change: new PROTOCOL_VERSION.
    static final int HELLO = 0x20;
    static final int MANIFEST_REQUEST = 0x21;
    static final int MANIFEST = 0x22;
    static final int REQUEST = 0x23;
    static final int REJECT = 0x24;
    static final int GOODBYE = 0x25;
    static final int BITFIELD = 0x26;
    static final int HAVE = 0x27;
    static final int CANCEL = 0x28;
    static final int CHOKE = 0x29;
    static final int UNCHOKE = 0x2A;
    static final int PEERS = 0x2B;
    /** Bytes a PEERS body holds at most: every peer IPv6 (u8 16, 16 bytes, u16 port). */
    private static final int MAX_PEERS_BYTES = Message.Peers.MAX * (1 + 16 + 2);

    private final Kryo kryo = newKryo();
    private final Output output = new Output(256, MAX_FRAME_LENGTH - 1);

    private static Kryo newKryo() {
        Kryo kryo = new Kryo(new IdsOnly(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.register(Message.Hello.class, new ControlSerializer<Message.Hello>(
                (out, m) -> {
                    Fields.writeInt(out, m.protocolVersion());
                    Fields.writeId(out, m.contentId());
                    Fields.writeInt(out, m.listenPort());
                },
                in -> new Message.Hello(Fields.readInt(in), Fields.readContentId(in),
                        Fields.readInt(in))), HELLO);
        kryo.register(Message.ManifestRequest.class, ControlSerializer.empty(Message.ManifestRequest::new),
                MANIFEST_REQUEST);
        kryo.register(Message.ManifestData.class, ControlSerializer.bytes(Message.ManifestData::canonicalBytes,
                MAX_FRAME_LENGTH, Message.ManifestData::new), MANIFEST);
        kryo.register(Message.Request.class, ControlSerializer.index(Message.Request::index, Message.Request::new),
                REQUEST);
        kryo.register(Message.Reject.class, new ControlSerializer<Message.Reject>(
                (out, m) -> {
                    Fields.writeInt(out, m.index());
                    Fields.writeText(out, m.reason());
                },
                in -> new Message.Reject(Fields.readInt(in), Fields.readText(in, Message.MAX_REASON_BYTES))), REJECT);
        kryo.register(Message.Goodbye.class, new ControlSerializer<Message.Goodbye>(
                (out, m) -> Fields.writeText(out, m.reason()),
                in -> new Message.Goodbye(Fields.readText(in, Message.MAX_REASON_BYTES))), GOODBYE);
        kryo.register(Message.Bitfield.class, ControlSerializer.bytes(Message.Bitfield::bits, MAX_FRAME_LENGTH,
                Message.Bitfield::new), BITFIELD);
        kryo.register(Message.Have.class, ControlSerializer.index(Message.Have::index, Message.Have::new), HAVE);
        kryo.register(Message.Cancel.class, ControlSerializer.index(Message.Cancel::index, Message.Cancel::new), CANCEL);
        kryo.register(Message.Choke.class, ControlSerializer.empty(Message.Choke::new), CHOKE);
        kryo.register(Message.Unchoke.class, ControlSerializer.empty(Message.Unchoke::new), UNCHOKE);
        kryo.register(Message.Peers.class, ControlSerializer.bytes(Message.Peers::packed, MAX_PEERS_BYTES,
                Message.Peers::new), PEERS);
        return kryo;
    }

    /** A whole frame for any message, length prefix included. */
    public ByteBuf encode(Message message, ByteBufAllocator alloc) {
        if (message instanceof Message.Chunk chunk) {
            return Unpooled.wrappedBuffer(
                    chunkHeader(chunk.index(), chunk.body().remaining(), alloc),
                    Unpooled.wrappedBuffer(chunk.body().duplicate()));
        }
        return encodeControl((Message.Control) message, alloc);
    }

    private ByteBuf encodeControl(Message.Control message, ByteBufAllocator alloc) {
        output.reset();
        output.writeByte(kryo.getRegistration(message.getClass()).getId());
        kryo.writeObject(output, message);
        int payload = output.position();
        ByteBuf frame = alloc.buffer(LENGTH_FIELD_BYTES + 1 + payload);
        frame.writeInt(1 + payload).writeByte(TYPE_CONTROL).writeBytes(output.getBuffer(), 0, payload);
        return frame;
    }

    /** The bytes that precede a chunk body on the wire; the body follows (e.g. as a zero-copy file region). */
    public static ByteBuf chunkHeader(int index, int bodyLength, ByteBufAllocator alloc) {
        if (bodyLength < 0 || bodyLength > Manifest.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk body of " + bodyLength + " bytes");
        }
        ByteBuf header = alloc.buffer(LENGTH_FIELD_BYTES + CHUNK_HEADER_BYTES);
        header.writeInt(CHUNK_HEADER_BYTES + bodyLength).writeByte(TYPE_CHUNK).writeInt(index);
        return header;
    }

    /** True when a length-stripped frame is a well-formed chunk frame (type byte and index present). */
    public static boolean isChunkFrame(ByteBuf frame) {
        return frame.readableBytes() >= CHUNK_HEADER_BYTES && frame.readableBytes() <= MAX_FRAME_LENGTH
                && frame.getByte(frame.readerIndex()) == TYPE_CHUNK;
    }

    /**
     * Decodes one frame whose length prefix has already been stripped. Never throws on bad input.
     * A chunk body is copied out, so the caller may release {@code frame} afterwards.
     */
    public Decoded decode(ByteBuf frame) {
        if (frame.readableBytes() > MAX_FRAME_LENGTH) {
            return new Decoded.Malformed("frame of " + frame.readableBytes() + " bytes exceeds " + MAX_FRAME_LENGTH);
        }
        if (!frame.isReadable()) {
            return new Decoded.Malformed("empty frame");
        }
        byte type = frame.readByte();
        return switch (type) {
            case TYPE_CONTROL -> decodeControl(frame);
            case TYPE_CHUNK -> decodeChunk(frame);
            default -> new Decoded.Malformed("unknown frame type " + type);
        };
    }

    private Decoded decodeControl(ByteBuf frame) {
        if (!frame.isReadable()) {
            return new Decoded.Malformed("control frame without a message type");
        }
        int type = frame.readUnsignedByte();
        Registration registration = kryo.getClassResolver().getRegistration(type);
        // Kryo pre-registers primitives and String at low ids: only control messages may decode.
        if (registration == null || !Message.Control.class.isAssignableFrom(registration.getType())) {
            return new Decoded.Malformed("unknown control message type " + type);
        }
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        Input input = new Input(bytes);
        try {
            Object message = kryo.readObject(input, registration.getType());
            if (input.position() != bytes.length) {
                return new Decoded.Malformed((bytes.length - input.position()) + " trailing bytes after control message");
            }
            return new Decoded.Ok((Message.Control) message);
        } catch (RuntimeException e) {
            // Kryo reports a short frame as KryoBufferUnderflowException and Fields a bad field as KryoException;
            // record constructors throw IllegalArgumentException or NPE. All of them mean a bad frame.
            return new Decoded.Malformed("undecodable control message: " + e);
        }
    }

    private static Decoded decodeChunk(ByteBuf frame) {
        if (frame.readableBytes() < 4) {
            return new Decoded.Malformed("chunk frame without index");
        }
        int index = frame.readInt();
        // Copy for now: keeps buffer lifetimes trivial. A zero-copy path can hand the retained slice on later.
        ByteBuffer body = ByteBuffer.allocate(frame.readableBytes());
        frame.readBytes(body);
        body.flip();
        return new Decoded.Ok(new Message.Chunk(index, body));
    }

    /**
     * Kryo's class resolver without classes named on the wire: given a class name, Kryo loads that class
     * (Class.forName, before it finds the class is not registered), so a peer could make us load any class on
     * the classpath, slowly (found by FrameCodecFuzzTest). We only ever write registered ids.
     */
    private static final class IdsOnly extends DefaultClassResolver {
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("class names are not accepted");
        }
    }
}
