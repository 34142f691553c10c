package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.wire.Decoded;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Installs the transfer wire format on a channel: length-prefixed frames in, {@link Message}s out, and back. */
public final class WirePipeline {
    private static final Logger log = LoggerFactory.getLogger(WirePipeline.class);

    private WirePipeline() {
    }

    /** Installs the wire format; chunk frames arrive as copied {@link Message.Chunk}s. */
    public static void install(ChannelPipeline pipeline) {
        pipeline.addLast("frames", new FrameAssembler(FrameBuffers.fromChannel()));
        pipeline.addLast("messages", new MessageCodec(false));
    }

    /**
     * Installs the wire format for a downloading connection: chunk frames arrive as {@link ReceivedChunk}s
     * whose bodies are slices of the frame buffer (taken from {@code buffers}), so a chunk is never copied
     * on its way to the hash and the file; on a plaintext link ({@code socketIntoFrames}) the socket is read straight into those
     * buffers ({@link FrameReads}); on an encrypted one each read's records are opened into one buffer and copied.
     */
    public static void installReceiving(ChannelPipeline pipeline, FrameBuffers buffers, boolean socketIntoFrames,
            BooleanSupplier chunksOwed) {
        FrameAssembler frames = new FrameAssembler(buffers, chunksOwed);
        if (socketIntoFrames) {
            pipeline.channel().config().setRecvByteBufAllocator(new FrameReads(frames));
        }
        pipeline.addLast("frames", frames);
        pipeline.addLast("messages", new MessageCodec(true));
    }

    /**
     * Messages to frames and back. ByteBufs and FileRegions written by a handler pass through untouched,
     * which is how chunk bodies go out zero-copy after a {@link FrameCodec#chunkHeader} buffer.
     */
    private static final class MessageCodec extends MessageToMessageCodec<ByteBuf, Message> {
        /**
         * One codec per event loop thread, shared by its connections: a codec (its Kryo) is not thread-safe
         * but holds nothing between calls, and building one per connection was a visible cost in a big swarm.
         */
        private static final FastThreadLocal<FrameCodec> CODECS = new FastThreadLocal<>() {
            @Override
            protected FrameCodec initialValue() {
                return new FrameCodec();
            }
        };
        private final boolean sliceChunks;

        MessageCodec(boolean sliceChunks) {
            this.sliceChunks = sliceChunks;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
            out.add(CODECS.get().encode(msg, ctx.alloc()));
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            if (sliceChunks && FrameCodec.isChunkFrame(frame)) {
                int index = frame.getInt(frame.readerIndex() + 1);
                out.add(new ReceivedChunk(index, frame.retainedSlice(frame.readerIndex() + FrameCodec.CHUNK_HEADER_BYTES,
                        frame.readableBytes() - FrameCodec.CHUNK_HEADER_BYTES)));
                return;
            }
            Decoded decoded = CODECS.get().decode(frame);
            if (decoded instanceof Decoded.Ok ok) {
                out.add(ok.message());
            } else {
                closeBecause(ctx, ((Decoded.Malformed) decoded).reason());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof DecoderException) {
                // Oversized or otherwise broken framing: the stream cannot be resynchronised.
                closeBecause(ctx, cause.getMessage());
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }

        private static void closeBecause(ChannelHandlerContext ctx, String reason) {
            log.warn("closing {}: {}", ctx.channel().remoteAddress(), reason);
            ctx.close();
        }
    }
}
