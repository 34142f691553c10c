package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import java.util.function.BooleanSupplier;

/**
 * Splits the inbound byte stream into length-prefixed frames, each passed on as its own exactly sized
 * buffer with the prefix stripped. Each frame's buffer is taken from {@link FrameBuffers} as soon as its
 * length is known (at that length, or growing to it as the bytes arrive) and filled straight from the
 * socket reads, so every byte is copied once after the kernel: no cumulation buffer to grow, merge into or
 * compact (a {@code ByteToMessageDecoder} copies a 1 MiB chunk two or three times over). A length above
 * {@link FrameCodec#MAX_FRAME_LENGTH} fails before anything is buffered.
 */
final class FrameAssembler extends ChannelInboundHandlerAdapter {
    /** Frames this large (chunks) are read into directly, see {@link FrameReads}. */
    private static final int DIRECT_READ_MIN = 64 << 10;
    private final FrameBuffers buffers;
    /** Whether the peer owes chunks now: only then does a chunk-sized length take a whole chunk buffer at once. */
    private final BooleanSupplier chunksOwed;
    /** The length prefix being read; a frame may split it across reads. */
    private int prefix;
    private int prefixBytes;
    /** The frame being filled, null between frames. */
    private ByteBuf frame;
    /** The view of {@code frame}'s free space last handed out by {@link #readTarget}, until it comes back. */
    private ByteBuf target;
    private boolean failed;

    /** For a connection whose large frames are never owed chunks (a serving one): they grow as their bytes come. */
    FrameAssembler(FrameBuffers buffers) {
        this(buffers, () -> false);
    }

    FrameAssembler(FrameBuffers buffers, BooleanSupplier chunksOwed) {
        this.buffers = buffers;
        this.chunksOwed = chunksOwed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (in == target) {
            // The socket read went straight into the frame: only the frame's writer index moves.
            target = null;
            frame.writerIndex(frame.writerIndex() + in.readableBytes());
            in.release();
            if (isWhole(frame)) {
                ByteBuf whole = frame;
                frame = null;
                ctx.fireChannelRead(whole);
            }
            return;
        }
        try {
            while (in.isReadable() && !failed) {
                if (frame == null) {
                    readPrefix(ctx, in);
                } else {
                    frame.writeBytes(in, Math.min(in.readableBytes(), frame.maxWritableBytes()));
                }
                if (frame != null && isWhole(frame)) {
                    ByteBuf whole = frame;
                    frame = null;
                    ctx.fireChannelRead(whole);
                }
            }
        } finally {
            ReferenceCountUtil.release(in);
        }
    }

    /** A frame's buffer may start smaller than the frame and grow: it is whole at its max capacity. */
    private static boolean isWhole(ByteBuf frame) {
        return frame.writerIndex() == frame.maxCapacity();
    }

    /**
     * Where the next socket read should go when a large frame is being filled: a view of its free space
     * (the caller owns it and hands it back through {@link #channelRead}); null otherwise.
     */
    ByteBuf readTarget() {
        if (frame == null || failed || frame.capacity() < DIRECT_READ_MIN || !frame.isWritable()) {
            return null;
        }
        target = frame.retainedSlice(frame.writerIndex(), frame.writableBytes()).clear();
        return target;
    }

    private void readPrefix(ChannelHandlerContext ctx, ByteBuf in) {
        while (prefixBytes < FrameCodec.LENGTH_FIELD_BYTES && in.isReadable()) {
            prefix = prefix << 8 | in.readUnsignedByte();
            prefixBytes++;
        }
        if (prefixBytes < FrameCodec.LENGTH_FIELD_BYTES) {
            return;
        }
        int length = prefix;
        prefix = 0;
        prefixBytes = 0;
        if (length < 0 || length > FrameCodec.MAX_FRAME_LENGTH) {
            // The stream cannot be resynchronised: fail once, and ignore whatever else arrives before the close.
            failed = true;
            ctx.fireExceptionCaught(new TooLongFrameException("frame length " + Integer.toUnsignedString(length)
                    + " exceeds " + FrameCodec.MAX_FRAME_LENGTH));
            return;
        }
        frame = buffers.allocate(ctx.alloc(), length, chunksOwed.getAsBoolean());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
    }
}
