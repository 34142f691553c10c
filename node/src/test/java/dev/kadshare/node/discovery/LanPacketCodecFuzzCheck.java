package dev.kadshare.node.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.transfer.content.ContentId;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fuzz check of decoding a LAN discovery datagram, which anyone on the LAN can send, run by
 * {@link dev.kadshare.node.NodeDecodersFuzzTest}: it is a packet or a {@code Rejected}, never an exception; a packet
 * encodes to the very bytes it came from (the format is canonical).
 */
public final class LanPacketCodecFuzzCheck {
    private LanPacketCodecFuzzCheck() {
    }

    /** Seeds: packets as the encoder writes them (the committed corpus adds edge cases). */
    public static Stream<byte[]> packets() {
        NodeId node = NodeId.fromHex("0123456789abcdef".repeat(4));
        return Stream.of(
                new LanPacket(LanPacket.Kind.QUERY, 42, node, 7700, List.of()),
                new LanPacket(LanPacket.Kind.ANNOUNCE, -7, node, 1, List.of(ContentId.fromHex("ab".repeat(32)),
                        ContentId.fromHex("cd".repeat(32)))))
                .map(LanPacketCodec::encode);
    }

    /** Checks one datagram's bytes. */
    public static void decode(byte[] data) {
        LanPacketCodec.Decoding decoding = LanPacketCodec.decode(data);
        if (decoding instanceof LanPacketCodec.Decoding.Ok ok) {
            byte[] again = LanPacketCodec.encode(ok.packet());
            assertArrayEquals(data, again);
            assertEquals(ok.packet(), ((LanPacketCodec.Decoding.Ok) LanPacketCodec.decode(again)).packet());
        }
    }
}
