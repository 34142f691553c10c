package dev.kadshare.node.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LanPacketCodecTest {
    static final NodeId NODE = NodeId.fromHex("11".repeat(32));
    static final ContentId A = ContentId.fromHex("aa".repeat(32));
    static final ContentId B = ContentId.fromHex("bb".repeat(32));

    @Test
    void encodesByteForByteAsPROTOCOLmdSays() {
        byte[] bytes = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.QUERY, 0x0102030405060708L, NODE, 7700,
                List.of(A)));
        String expected = "4b534c44" + "01" + "02" + "0102030405060708" + "11".repeat(32) + "1e14" + "01"
                + "aa".repeat(32);
        assertEquals(expected, HexFormat.of().formatHex(bytes));
        assertEquals(LanPacketCodec.HEADER_BYTES + 32, bytes.length);
    }

    @Test
    void roundTripsAndTheLargestPacketStaysUnder1400Bytes() {
        List<ContentId> ids = IntStream.range(0, LanPacket.MAX_CONTENT_IDS)
                .mapToObj(i -> ContentId.of(filled((byte) i))).toList();
        LanPacket packet = new LanPacket(LanPacket.Kind.ANNOUNCE, -1L, NODE, 65535, ids);
        byte[] bytes = LanPacketCodec.encode(packet);
        assertEquals(LanPacketCodec.MAX_BYTES, bytes.length);
        assertTrue(bytes.length < 1400, bytes.length + " bytes");
        assertEquals(packet, ((LanPacketCodec.Decoding.Ok) LanPacketCodec.decode(bytes)).packet());
    }

    @Test
    void rejectsEveryMalformedShapeWithItsReason() {
        byte[] good = LanPacketCodec.encode(new LanPacket(LanPacket.Kind.ANNOUNCE, 5, NODE, 7700, List.of(A, B)));
        assertRejected(LanPacketCodec.Reject.TOO_SHORT, new byte[0]);
        assertRejected(LanPacketCodec.Reject.TOO_SHORT, Arrays.copyOf(good, LanPacketCodec.HEADER_BYTES - 1));
        assertRejected(LanPacketCodec.Reject.BAD_MAGIC, "BT-SEARCH * HTTP/1.1\r\n".getBytes());
        assertRejected(LanPacketCodec.Reject.TOO_LONG, new byte[LanPacketCodec.MAX_BYTES + 1]);
        assertRejected(LanPacketCodec.Reject.BAD_LENGTH, Arrays.copyOf(good, good.length - 1));
        assertRejected(LanPacketCodec.Reject.BAD_LENGTH, Arrays.copyOf(good, good.length + 1));
        assertRejected(LanPacketCodec.Reject.BAD_VERSION, with(good, 4, 2));
        assertRejected(LanPacketCodec.Reject.BAD_KIND, with(good, 5, 0));
        assertRejected(LanPacketCodec.Reject.BAD_KIND, with(good, 5, 3));
        assertRejected(LanPacketCodec.Reject.BAD_PORT, with(with(good, 46, 0), 47, 0));
        assertRejected(LanPacketCodec.Reject.TOO_MANY_IDS, with(good, 48, 33));
        byte[] repeated = good.clone();
        System.arraycopy(repeated, LanPacketCodec.HEADER_BYTES, repeated, LanPacketCodec.HEADER_BYTES + 32, 32);
        assertRejected(LanPacketCodec.Reject.REPEATED_ID, repeated);
    }

    @Test
    void aPacketCannotBeBuiltOutOfBounds() {
        assertThrows(IllegalArgumentException.class, () -> new LanPacket(LanPacket.Kind.ANNOUNCE, 1, NODE, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LanPacket(LanPacket.Kind.ANNOUNCE, 1, NODE, 1, List.of(A, A)));
    }

    private static void assertRejected(LanPacketCodec.Reject reason, byte[] data) {
        LanPacketCodec.Decoding.Rejected rejected = assertInstanceOf(LanPacketCodec.Decoding.Rejected.class,
                LanPacketCodec.decode(data));
        assertEquals(reason, rejected.reason());
    }

    private static byte[] with(byte[] data, int index, int value) {
        byte[] copy = data.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] filled(byte b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, b);
        bytes[0] = 1;
        bytes[31] = b;
        return bytes;
    }
}
