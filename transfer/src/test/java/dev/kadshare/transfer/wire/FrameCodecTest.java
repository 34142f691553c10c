package dev.kadshare.transfer.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.Hostile;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.netty.WirePipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final ContentId ID = ContentId.fromHex("ab".repeat(32));
    private final FrameCodec codec = new FrameCodec();

    /** Encodes, strips the length prefix as the frame decoder would, decodes. */
    private Decoded roundTrip(Message message) {
        ByteBuf frame = codec.encode(message, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(frame.readableBytes() - 4, frame.readInt(), "length prefix");
            return new FrameCodec().decode(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void controlMessagesRoundTrip() {
        List<Message> messages = List.of(
                new Message.Hello(FrameCodec.PROTOCOL_VERSION, ID),
                new Message.ManifestRequest(),
                new Message.ManifestData(new byte[] {1, 2, 3}),
                new Message.Request(123_456),
                new Message.Reject(7, "no such chunk"),
                new Message.Goodbye("unknown content"),
                new Message.Hello(FrameCodec.PROTOCOL_VERSION, ID, 1),
                new Message.Bitfield(java.util.BitSet.valueOf(new long[] {0b1011}).toByteArray()),
                new Message.Have(9),
                new Message.Cancel(4),
                new Message.Choke(),
                new Message.Unchoke(),
                new Message.Hello(FrameCodec.PROTOCOL_VERSION, ID, 40123),
                Message.Peers.of(List.of(new java.net.InetSocketAddress("127.0.0.1", 40123),
                        new java.net.InetSocketAddress("::1", 65535))));
        for (Message m : messages) {
            assertEquals(new Decoded.Ok(m), roundTrip(m), m.toString());
        }
    }

    @Test
    void peersKeepAddressesAndPortsAndRefuseMalformedBytes() {
        List<java.net.InetSocketAddress> peers = List.of(new java.net.InetSocketAddress("10.1.2.3", 1),
                new java.net.InetSocketAddress("::1", 65535));
        assertEquals(peers, ((Message.Peers) ((Decoded.Ok) roundTrip(Message.Peers.of(peers))).message()).addresses());
        assertThrows(IllegalArgumentException.class, () -> new Message.Peers(new byte[] {4, 1, 2, 3}));
        // A hostile peer's PEERS whose first address claims 5 bytes: the packed bytes are the frame's last 7.
        ByteBuf frame = codec.encode(Message.Peers.of(peers.subList(0, 1)), ByteBufAllocator.DEFAULT);
        try {
            frame.setByte(frame.writerIndex() - 7, 5);
            frame.skipBytes(4);
            assertInstanceOf(Decoded.Malformed.class, new FrameCodec().decode(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void chunkRoundTripsRaw() {
        byte[] body = new byte[1000];
        body[999] = 9;
        Decoded d = roundTrip(new Message.Chunk(5, ByteBuffer.wrap(body)));
        Message.Chunk chunk = (Message.Chunk) ((Decoded.Ok) d).message();
        assertEquals(5, chunk.index());
        byte[] back = new byte[chunk.body().remaining()];
        chunk.body().get(back);
        assertArrayEquals(body, back);
    }

    @Test
    void chunkHeaderPrecedesARawBody() {
        ByteBuf header = FrameCodec.chunkHeader(3, 2, ByteBufAllocator.DEFAULT);
        assertEquals(4 + 1 + 4, header.readableBytes());
        assertEquals(1 + 4 + 2, header.getInt(0));
        assertEquals(FrameCodec.TYPE_CHUNK, header.getByte(4));
        assertEquals(3, header.getInt(5));
        header.release();
    }

    @Test
    void badFramesAreMalformedNotThrown() {
        assertInstanceOf(Decoded.Malformed.class, codec.decode(Unpooled.buffer()));
        assertInstanceOf(Decoded.Malformed.class, codec.decode(Unpooled.wrappedBuffer(new byte[] {99, 1, 2})));
        assertInstanceOf(Decoded.Malformed.class, codec.decode(Unpooled.wrappedBuffer(new byte[] {FrameCodec.TYPE_CHUNK, 0})));
        // No control message has type 0xE9.
        assertInstanceOf(Decoded.Malformed.class, codec.decode(Unpooled.wrappedBuffer(new byte[] {FrameCodec.TYPE_CONTROL, (byte) 0xE9, 0x07})));
        // A registered class whose fields are cut short.
        ByteBuf hello = codec.encode(new Message.Hello(1, ID), ByteBufAllocator.DEFAULT);
        ByteBuf cut = hello.slice(4, hello.readableBytes() - 10);
        assertInstanceOf(Decoded.Malformed.class, codec.decode(cut));
        hello.release();
        // Trailing garbage after a whole control message.
        ByteBuf req = codec.encode(new Message.Request(1), ByteBufAllocator.DEFAULT);
        ByteBuf padded = Unpooled.wrappedBuffer(req.slice(4, req.readableBytes() - 4), Unpooled.wrappedBuffer(new byte[] {0}));
        assertInstanceOf(Decoded.Malformed.class, codec.decode(padded));
        req.release();
    }

    @Test
    void aClaimedLengthBeyondTheFrameIsMalformedBeforeAnythingThatBigIsAllocated() {
        ByteBuf manifest = codec.encode(new Message.ManifestData(new byte[] {1, 2, 3}), ByteBufAllocator.DEFAULT);
        ByteBuf goodbye = codec.encode(new Message.Goodbye("\u00e9"), ByteBufAllocator.DEFAULT);
        try {
            // kind, message type, then the length (+1) and the bytes; text is the same, holding UTF-8.
            assertEquals(List.of(1, 0x22, 4, 1, 2, 3), bytes(manifest.skipBytes(4)));
            assertEquals(List.of(1, 0x25, 3, 0xC3, 0xA9), bytes(goodbye.skipBytes(4)));
        } finally {
            manifest.release();
            goodbye.release();
        }
        // 256 MiB (and 512 MiB of text) claimed by a handful of bytes: Kryo alone allocates them, or fails with
        // OutOfMemoryError on a small heap, which may hit any other thread just as well.
        byte[] hugeArray = {FrameCodec.TYPE_CONTROL, 0x22, (byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 1};
        byte[] hugeString = {FrameCodec.TYPE_CONTROL, 0x25, (byte) 0xC1, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x02, 'a'};
        for (byte[] hostile : List.of(hugeArray, hugeString)) {
            long before = Hostile.allocatedBytes();
            assertInstanceOf(Decoded.Malformed.class, codec.decode(Unpooled.wrappedBuffer(hostile)));
            long allocated = Hostile.allocatedBytes() - before;
            assertTrue(allocated < 1 << 20, "decoding " + hostile.length + " bytes allocated " + allocated);
        }
        byte[] negative = {FrameCodec.TYPE_CONTROL, 0x22, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        assertInstanceOf(Decoded.Malformed.class, codec.decode(Unpooled.wrappedBuffer(negative)));
    }

    private static List<Integer> bytes(ByteBuf buf) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            out.add(buf.getUnsignedByte(i) & 0xFF);
        }
        return out;
    }

    @Test
    void oneCodecGoesOnDecodingAfterAnyGarbage() {
        // A thread's connections share one codec: a hostile frame must leave nothing behind in it.
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        Message hello = new Message.Hello(FrameCodec.PROTOCOL_VERSION, ID);
        ByteBuf good = codec.encode(hello, ByteBufAllocator.DEFAULT);
        try {
            for (int i = 0; i < 2000; i++) {
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                garbage[0] = FrameCodec.TYPE_CONTROL;
                codec.decode(Unpooled.wrappedBuffer(garbage)); // Ok or Malformed; never throws
                assertEquals(new Decoded.Ok(hello), codec.decode(good.slice(4, good.readableBytes() - 4)),
                        "after garbage " + java.util.HexFormat.of().formatHex(garbage));
            }
        } finally {
            good.release();
        }
    }

    @Test
    void pipelineDecodesFramesSplitAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.install(ch.pipeline());
        ByteBuf frame = codec.encode(new Message.Request(42), ByteBufAllocator.DEFAULT);
        ch.writeInbound(frame.readRetainedSlice(3));
        assertNull(ch.readInbound());
        ch.writeInbound(frame);
        assertEquals(new Message.Request(42), ch.readInbound());
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelineEncodesMessages() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.install(ch.pipeline());
        ch.writeOutbound(new Message.Goodbye("bye"));
        ByteBuf out = ch.readOutbound();
        out.skipBytes(4);
        assertEquals(new Decoded.Ok(new Message.Goodbye("bye")), codec.decode(out));
        out.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelineClosesOnOversizedFrame() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.install(ch.pipeline());
        ch.writeInbound(Unpooled.buffer().writeInt(FrameCodec.MAX_FRAME_LENGTH + 1).writeByte(2));
        assertFalse(ch.isOpen());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelineClosesOnUnknownFrameType() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.install(ch.pipeline());
        ch.writeInbound(Unpooled.buffer().writeInt(2).writeByte(77).writeByte(0));
        assertFalse(ch.isOpen());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    /** Found by FrameCodecFuzzTest: Kryo loaded whatever class a control frame named, and only then refused it. */
    @Test
    void aControlFrameNamingAClassIsRefusedBeforeTheClassIsLookedUp() {
        // CONTROL, Kryo's "class by name" marker (1), a name id, then the name in Kryo's ASCII form (last byte | 0x80).
        // The codec reads the message type itself and takes registered control messages only, so the name is never
        // read, let alone looked up (Kryo's resolver would also refuse it: IdsOnly).
        ByteBuf frame = Unpooled.buffer().writeByte(1).writeByte(1).writeByte(1)
                .writeBytes("java.lang.Threa".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeByte('d' | 0x80);
        Decoded decoded = codec.decode(frame);
        assertTrue(decoded instanceof Decoded.Malformed m && m.reason().equals("unknown control message type 1"),
                decoded.toString());
    }
}
