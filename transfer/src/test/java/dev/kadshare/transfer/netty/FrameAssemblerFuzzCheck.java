package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kadshare.transfer.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The fuzz check of the frame assembly on a downloading connection, run by
 * {@link dev.kadshare.transfer.TransferDecodersFuzzTest}: a byte stream, cut into reads at places the fuzzer picks,
 * some of them made straight into the frame being filled (as {@link FrameReads} does), must come out as exactly the
 * frames a plain reading of the stream finds, whole and in order, and a length beyond the limit must fail the stream
 * once, before it is buffered.
 *
 * <p>Input: one byte of options (its low bits: reading straight into frames; recycling chunk buffers; chunks
 * owed), one byte saying how many read sizes follow (its value modulo 17), those read sizes, then the stream. A
 * missing byte counts as zero.
 */
public final class FrameAssemblerFuzzCheck {
    /** The most read sizes an input gives. */
    private static final int MAX_READ_SIZES = 16;
    /** Frames up to this long count as chunk frames of the download: kept small so each input stays cheap. */
    private static final int CHUNK_FRAME_LENGTH = 80 << 10;

    private FrameAssemblerFuzzCheck() {
    }

    /** Checks one input: options, read sizes and stream as the class comment lays them out. */
    public static void assemble(byte[] input) {
        int options = input.length > 0 ? input[0] & 7 : 0;
        int sizes = input.length > 1 ? Byte.toUnsignedInt(input[1]) % (MAX_READ_SIZES + 1) : 0;
        int start = Math.min(2, input.length);
        byte[] readSizes = Arrays.copyOfRange(input, start, Math.min(start + sizes, input.length));
        byte[] stream = Arrays.copyOfRange(input, start + readSizes.length, input.length);
        boolean straightIntoFrames = (options & 1) != 0;

        FrameBuffers buffers = (options & 2) != 0 ? FrameBuffers.recycling() : FrameBuffers.fromChannel();
        buffers.expectChunkFrames(CHUNK_FRAME_LENGTH);
        FrameAssembler assembler = new FrameAssembler(buffers, () -> (options & 4) != 0);
        EmbeddedChannel channel = new EmbeddedChannel(assembler);
        List<String> frames = new ArrayList<>();
        int failures = 0;
        try {
            int position = 0;
            for (int read = 0; position < stream.length; read++) {
                int size = readSizes.length == 0 ? stream.length : 1 + (readSizes[read % readSizes.length] & 0xFF);
                ByteBuf target = straightIntoFrames ? assembler.readTarget() : null;
                int n = Math.min(Math.min(size, stream.length - position), target == null ? Integer.MAX_VALUE : target.writableBytes());
                ByteBuf in = target != null ? target : channel.alloc().buffer(n);
                in.writeBytes(stream, position, n);
                position += n;
                try {
                    channel.writeInbound(in);
                } catch (TooLongFrameException e) {
                    failures++;
                }
                for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
                    frames.add(ByteBufUtil.hexDump(frame));
                    frame.release();
                }
            }
        } finally {
            channel.finishAndReleaseAll();
            buffers.close();
        }
        Expected expected = Expected.of(stream);
        assertEquals(expected.frames(), frames);
        assertEquals(expected.failed() ? 1 : 0, failures);
        assertNull(assembler.readTarget(), "nothing to read into once the channel is closed");
    }

    /** The frames a plain reading of the whole stream finds, and whether it meets a length beyond the limit. */
    private record Expected(List<String> frames, boolean failed) {
        static Expected of(byte[] stream) {
            ByteBuffer in = ByteBuffer.wrap(stream);
            List<String> frames = new ArrayList<>();
            while (in.remaining() >= FrameCodec.LENGTH_FIELD_BYTES) {
                int length = in.getInt();
                if (length < 0 || length > FrameCodec.MAX_FRAME_LENGTH) {
                    return new Expected(frames, true);
                }
                if (in.remaining() < length) {
                    break;
                }
                byte[] frame = new byte[length];
                in.get(frame);
                frames.add(HexFormat.of().formatHex(frame));
            }
            return new Expected(frames, false);
        }
    }
}
