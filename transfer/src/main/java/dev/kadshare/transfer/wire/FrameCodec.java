package dev.kadshare.transfer.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Id256;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * The transfer wire format. Every frame is
 * <pre>
 *   u32 length (of everything after it, at most MAX_FRAME_LENGTH)
 *   u8  type   CONTROL = 1: Kryo-encoded {@link Message.Control}
 *              CHUNK   = 2: u32 chunk index, then the raw chunk bytes
 * </pre>
 * Kryo requires registration, and every class has a fixed id here, so a peer can never make us
 * instantiate anything else. Not thread-safe (Kryo is not); keeps no state between calls, so one instance
 * may serve every connection of one thread.
 */
public final class FrameCodec {
    /** 2: BITFIELD after the server HELLO, HAVE, CANCEL, CHOKE/UNCHOKE; 3: the client's listening port in HELLO, PEERS. */
    public static final int PROTOCOL_VERSION = 3;
    public static final int LENGTH_FIELD_BYTES = 4;
    public static final int CHUNK_HEADER_BYTES = 1 + 4;
    /** Largest frame after the length field: one maximum-size chunk plus its header. */
    public static final int MAX_FRAME_LENGTH = Manifest.MAX_CHUNK_SIZE + CHUNK_HEADER_BYTES;

    static final byte TYPE_CONTROL = 1;
    static final byte TYPE_CHUNK = 2;

    private final Kryo kryo = newKryo();
    private final Output output = new Output(256, MAX_FRAME_LENGTH - 1);

    private static Kryo newKryo() {
        Kryo kryo = new Kryo(new IdsOnly(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // Fixed ids: changing one is a wire-format change and needs a new PROTOCOL_VERSION.
        kryo.register(byte[].class, new BoundedBytes(), 20);
        kryo.register(String.class, new BoundedStrings()); // keeps Kryo's default id and format
        kryo.register(ContentId.class, new Id256Serializer<>(ContentId::of), 21);
        kryo.register(Message.Hello.class, 30);
        kryo.register(Message.ManifestRequest.class, 31);
        kryo.register(Message.ManifestData.class, 32);
        kryo.register(Message.Request.class, 33);
        kryo.register(Message.Reject.class, 34);
        kryo.register(Message.Goodbye.class, 35);
        kryo.register(Message.Bitfield.class, 36);
        kryo.register(Message.Have.class, 37);
        kryo.register(Message.Cancel.class, 38);
        kryo.register(Message.Choke.class, 39);
        kryo.register(Message.Unchoke.class, 40);
        kryo.register(Message.Peers.class, 41);
        kryo.register(PeerId.class, new Id256Serializer<>(PeerId::of), 22);
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
        kryo.writeClassAndObject(output, message);
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
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        Input input = new Input(bytes);
        try {
            Object value = kryo.readClassAndObject(input);
            if (input.position() != bytes.length) {
                return new Decoded.Malformed((bytes.length - input.position()) + " trailing bytes after control message");
            }
            if (value instanceof Message.Control control) {
                return new Decoded.Ok(control);
            }
            return new Decoded.Malformed("control frame holds " + (value == null ? "null" : value.getClass().getSimpleName()));
        } catch (RuntimeException e) {
            // Kryo surfaces bad input as KryoException, NegativeArraySizeException, IndexOutOfBoundsException and
            // more; record constructors throw IllegalArgumentException or NPE. All of them mean a bad frame.
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

    /** Fails unless {@code count} more bytes are left in {@code input}, before anything that size is allocated. */
    private static void requireRemaining(Input input, long count, String what) {
        if (count > input.limit() - input.position()) {
            throw new KryoException(what + " of " + count + " claimed with " + (input.limit() - input.position())
                    + " bytes left");
        }
    }

    /**
     * Kryo's byte-array format, read only after checking that the claimed length is in the frame: Kryo's own
     * serializer allocates whatever length the peer writes, so ten bytes could ask for 2 GiB.
     */
    private static final class BoundedBytes extends Serializer<byte[]> {
        BoundedBytes() {
            setAcceptsNull(true);
        }

        @Override
        public void write(Kryo kryo, Output output, byte[] bytes) {
            if (bytes == null) {
                output.writeByte(Kryo.NULL);
                return;
            }
            output.writeVarInt(bytes.length + 1, true);
            output.writeBytes(bytes);
        }

        @Override
        public byte[] read(Kryo kryo, Input input, Class<? extends byte[]> type) {
            int lengthPlusOne = input.readVarInt(true);
            if (lengthPlusOne == Kryo.NULL) {
                return null;
            }
            requireRemaining(input, lengthPlusOne - 1L, "byte array");
            return input.readBytes(lengthPlusOne - 1);
        }
    }

    /**
     * Kryo's string format, read only after checking that a UTF-8 string's claimed length fits in the frame
     * (every char takes at least a byte): Kryo allocates a char array of the claimed length first.
     */
    private static final class BoundedStrings extends Serializer<String> {
        BoundedStrings() {
            setAcceptsNull(true);
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, String value) {
            output.writeString(value);
        }

        @Override
        public String read(Kryo kryo, Input input, Class<? extends String> type) {
            int start = input.position();
            if (input.readVarIntFlag()) { // UTF-8 (or null or empty): a char count follows; ASCII needs no check
                requireRemaining(input, input.readVarIntFlag(true) - 1L, "string");
                input.setPosition(start);
            }
            return input.readString();
        }
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

    /** Writes a 256-bit id (content or peer) as its 32 raw bytes. */
    private static final class Id256Serializer<T extends Id256> extends Serializer<T> {
        private final Function<byte[], T> wrap;

        Id256Serializer(Function<byte[], T> wrap) {
            this.wrap = wrap;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, T id) {
            output.writeBytes(id.bytes());
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            return wrap.apply(input.readBytes(Id256.LENGTH));
        }
    }
}
