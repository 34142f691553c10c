package dev.kadshare.transfer.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.SampleManifests;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fuzz check of the transfer frame decoder on one frame (its length prefix stripped, as the frame assembler
 * hands it on), run by {@link dev.kadshare.transfer.TransferDecodersFuzzTest}: any bytes are a message or
 * Malformed, never an exception, and a message survives a round trip. Kryo's varints may be padded, so the bytes
 * are compared only from the second encoding on.
 */
public final class FrameCodecFuzzCheck {
    private static final ContentId ID = ContentId.fromHex("ab".repeat(32));
    private final FrameCodec codec = new FrameCodec();

    /** Seeds: a real frame of every message type (the committed corpus adds edge cases and findings). */
    public static Stream<byte[]> frames() {
        FrameCodec encoder = new FrameCodec();
        return Stream.of(
                new Message.Hello(FrameCodec.PROTOCOL_VERSION, ID, 40123),
                new Message.Hello(FrameCodec.PROTOCOL_VERSION, ID),
                Message.Peers.of(List.of(new InetSocketAddress("127.0.0.1", 40123), new InetSocketAddress("::1", 65535))),
                new Message.ManifestRequest(),
                new Message.ManifestData(SampleManifests.all().skip(3).findFirst().orElseThrow().canonicalBytes()),
                Message.Bitfield.of(BitSet.valueOf(new long[] {0b1011})),
                new Message.Have(9),
                new Message.Cancel(4),
                new Message.Choke(),
                new Message.Unchoke(),
                new Message.Request(123_456),
                new Message.Reject(7, "no such chunk ü"),
                new Message.Goodbye("unknown content"),
                new Message.Chunk(3, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})))
                .map(m -> withoutLength(encoder.encode(m, UnpooledByteBufAllocator.DEFAULT)));
    }

    /** Checks one frame's bytes. */
    public void decode(byte[] frame) {
        if (!(codec.decode(Unpooled.wrappedBuffer(frame)) instanceof Decoded.Ok ok)) {
            return; // Malformed: the decoder's own answer to bad bytes
        }
        byte[] encoded = withoutLength(codec.encode(ok.message(), UnpooledByteBufAllocator.DEFAULT));
        Decoded again = codec.decode(Unpooled.wrappedBuffer(encoded));
        assertEquals(ok, again);
        assertArrayEquals(encoded, withoutLength(codec.encode(((Decoded.Ok) again).message(), UnpooledByteBufAllocator.DEFAULT)));
    }

    /** The frame's bytes after its length prefix, which must count them; releases the frame. */
    private static byte[] withoutLength(ByteBuf frame) {
        try {
            assertEquals(frame.readableBytes() - FrameCodec.LENGTH_FIELD_BYTES, frame.readInt(), "length prefix");
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }
}
