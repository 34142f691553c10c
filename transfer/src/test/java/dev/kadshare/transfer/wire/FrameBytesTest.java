package dev.kadshare.transfer.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Pins every transfer frame's bytes (protocol version 4, docs/PROTOCOL.md): a failure here is a change to the
 * wire, which needs a new {@link FrameCodec#PROTOCOL_VERSION} and a line in the document's version history.
 */
class FrameBytesTest {
    private static final ContentId CONTENT = ContentId.fromHex("11".repeat(32));
    private final FrameCodec codec = new FrameCodec();

    static Stream<Arguments> pinned() {
        BitSet held = new BitSet();
        held.set(0);
        held.set(1);
        held.set(3);
        held.set(8);
        return Stream.of(
                pin(new Message.Hello(5, CONTENT, 7700), "00000025 01 20 0a" + "11".repeat(32) + "a878"),
                pin(new Message.Hello(5, CONTENT), "00000024 01 20 0a" + "11".repeat(32) + "00"),
                pin(new Message.Hello(5, CONTENT, 65535), "00000026 01 20 0a" + "11".repeat(32) + "feff07"),
                pin(new Message.ManifestRequest(), "00000002 01 21"),
                pin(new Message.ManifestData(new byte[] {1, 2, 3}), "00000006 01 22 04 010203"),
                pin(new Message.ManifestData(new byte[0]), "00000003 01 22 01"),
                pin(new Message.Request(5), "00000003 01 23 0a"),
                pin(new Message.Request(300), "00000004 01 23 d804"),
                pin(new Message.Request(-1), "00000003 01 23 01"),
                pin(new Message.Request(Integer.MAX_VALUE), "00000007 01 23 feffffff0f"),
                pin(new Message.Request(Integer.MIN_VALUE), "00000007 01 23 ffffffff0f"),
                pin(new Message.Reject(5, "choked"), "0000000a 01 24 0a 07 63686f6b6564"),
                pin(new Message.Reject(7, "é"), "00000006 01 24 0e 03 c3a9"),
                pin(new Message.Goodbye("unknown content"), "00000012 01 25 10 756e6b6e6f776e20636f6e74656e74"),
                pin(new Message.Goodbye(""), "00000003 01 25 01"),
                pin(Message.Bitfield.of(held), "00000005 01 26 03 0b01"),
                pin(Message.Bitfield.of(new BitSet()), "00000003 01 26 01"),
                pin(new Message.Have(9), "00000003 01 27 12"),
                pin(new Message.Cancel(5), "00000003 01 28 0a"),
                pin(new Message.Choke(), "00000002 01 29"),
                pin(new Message.Unchoke(), "00000002 01 2a"),
                pin(Message.Peers.of(List.of(new InetSocketAddress("127.0.0.1", 7700), new InetSocketAddress("::1", 7701))),
                        "0000001d 01 2b 1b 04 7f000001 1e14 10 " + "00".repeat(15) + "01 1e15"),
                pin(Message.Peers.of(List.of()), "00000003 01 2b 01"),
                pin(new Message.Chunk(5, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))),
                        "0000000a 02 00000005 68656c6c6f"));
    }

    private static Arguments pin(Message message, String hex) {
        return Arguments.of(message, hex);
    }

    @ParameterizedTest
    @MethodSource("pinned")
    void encodesToThePinnedBytes(Message message, String hex) {
        ByteBuf frame = codec.encode(message, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(hex.replace(" ", ""), ByteBufUtil.hexDump(frame), message.toString());
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @MethodSource("pinned")
    void thePinnedBytesDecodeToTheMessage(Message message, String hex) {
        Message decoded = assertInstanceOf(Decoded.Ok.class, codec.decode(frameBody(hex))).message();
        if (message instanceof Message.Chunk chunk) {
            Message.Chunk got = (Message.Chunk) decoded;
            assertEquals(chunk.index(), got.index());
            assertEquals(chunk.body(), got.body());
        } else {
            assertEquals(message, decoded);
        }
    }

    @Test
    void chunkHeaderIsTheFrameBeforeItsBody() {
        ByteBuf header = FrameCodec.chunkHeader(5, 5, ByteBufAllocator.DEFAULT);
        try {
            assertEquals("0000000a0200000005", ByteBufUtil.hexDump(header));
        } finally {
            header.release();
        }
    }

    /** The version comes first and any value decodes, so a server can answer another version with GOODBYE. */
    @Test
    void aHelloOfAnyVersionDecodes() {
        Message hello = assertInstanceOf(Decoded.Ok.class,
                codec.decode(frameBody("00000025 01 20 0c" + "11".repeat(32) + "a878"))).message();
        assertEquals(new Message.Hello(6, CONTENT, 7700), hello);
    }

    /** Version 4 wrote the sender's node id before the content id: a version 5 codec finds its frame malformed. */
    @Test
    void aVersion4HelloIsMalformed() {
        String v4 = "01 20 08" + "22".repeat(32) + "11".repeat(32) + "a878";
        assertInstanceOf(Decoded.Malformed.class,
                codec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(v4.replace(" ", "")))));
    }

    /** Version 3 wrote a presence byte, the content id, the port, a presence byte, the node id, the version. */
    @Test
    void aVersion3HelloIsMalformed() {
        String v3 = "01 20 01" + "11".repeat(32) + "e848 01" + "22".repeat(32) + "06";
        Decoded.Malformed malformed = assertInstanceOf(Decoded.Malformed.class,
                codec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(v3.replace(" ", "")))));
        assertTrue(malformed.reason().contains("trailing bytes"), malformed.reason());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "01 00 | unknown control message type 0", // Kryo's own ids, and ids no message has
        "01 01 | unknown control message type 1",
        "01 09 | unknown control message type 9",
        "01 1f | unknown control message type 31",
        "01 2c | unknown control message type 44",
        "01 ff | unknown control message type 255",
        "01 23 8a00 | shortest form", // REQUEST(5) with its index in two bytes
        "01 23 8080808010 | beyond 32 bits",
        "01 23 ffffffffff0f | beyond 32 bits",
        "01 25 00 | null where bytes belong",
        "01 25 03 c328 | not UTF-8",
        "01 25 02 80 | not UTF-8",
        "01 24 0a | underflow", // REJECT without its reason
        "01 20 08 | underflow", // HELLO cut short
        "01 26 05 0b01 | 4 bytes claimed", // bytes claimed beyond the frame
        "01 21 00 | 1 trailing bytes",
        "01 2b 05 05000000 | malformed PEERS", // an address of 5 bytes
        "01 | without a message type",
        "03 00 | unknown frame type 3",
    })
    void malformedFramesAreRefusedWithTheirReason(String body, String reason) {
        Decoded.Malformed malformed = assertInstanceOf(Decoded.Malformed.class,
                codec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(body.replace(" ", "")))));
        assertTrue(malformed.reason().contains(reason), malformed.reason());
    }

    @Test
    void aReasonIsCutOnACharacterBoundary() {
        String reason = "a" + "é".repeat(600); // 1 + 1,200 bytes
        Message.Goodbye goodbye = new Message.Goodbye(reason);
        assertEquals(1 + 2 * 511, goodbye.reason().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(reason.startsWith(goodbye.reason()));
        assertEquals(Message.MAX_REASON_BYTES, new Message.Reject(1, "x".repeat(5000)).reason().length());
        ByteBuf frame = codec.encode(goodbye, ByteBufAllocator.DEFAULT);
        try {
            assertEquals(new Decoded.Ok(goodbye), codec.decode(frame.skipBytes(FrameCodec.LENGTH_FIELD_BYTES)));
        } finally {
            frame.release();
        }
    }

    @Test
    void aReasonLongerThanAnyMessageHoldsIsRefused() {
        assertInstanceOf(Decoded.Ok.class, codec.decode(goodbyeOf(Message.MAX_REASON_BYTES)));
        assertInstanceOf(Decoded.Malformed.class, codec.decode(goodbyeOf(Message.MAX_REASON_BYTES + 1)));
    }

    /** A GOODBYE frame (length prefix stripped) whose reason is {@code length} times 'x', built by hand. */
    private static ByteBuf goodbyeOf(int length) {
        ByteBuf body = Unpooled.buffer().writeByte(FrameCodec.TYPE_CONTROL).writeByte(FrameCodec.GOODBYE);
        // varint(length + 1) in two bytes, which holds 128 to 16,383
        body.writeByte((length + 1) & 0x7F | 0x80).writeByte((length + 1) >>> 7);
        return body.writeBytes("x".repeat(length).getBytes(StandardCharsets.US_ASCII));
    }

    /** The frame after its length prefix, as the frame assembler hands it on; checks the prefix first. */
    private static ByteBuf frameBody(String hex) {
        ByteBuf frame = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
        assertEquals(frame.readableBytes() - FrameCodec.LENGTH_FIELD_BYTES, frame.readInt(), "length prefix");
        return frame;
    }
}
