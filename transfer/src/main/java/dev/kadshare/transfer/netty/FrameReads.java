package dev.kadshare.transfer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive buffers of a downloading connection: while {@link FrameAssembler} is filling a large frame
 * (a chunk), the socket is read straight into that frame's free space, so a chunk's bytes are copied
 * once, by the kernel, on their way to the hash and the file. Between frames it reads into a small
 * buffer, enough for a burst of control messages and a chunk's header, so little of a chunk's body goes
 * the long way round.
 */
final class FrameReads implements RecvByteBufAllocator {
    /** Between frames: small, so the next chunk's body mostly lands in its own frame buffer. */
    private static final int BETWEEN_FRAMES = 4 << 10;

    private final FrameAssembler assembler;
    private final RecvByteBufAllocator between = new FixedRecvByteBufAllocator(BETWEEN_FRAMES);

    FrameReads(FrameAssembler assembler) {
        this.assembler = assembler;
    }

    @Override
    public Handle newHandle() {
        return new FrameHandle((ExtendedHandle) between.newHandle());
    }

    /** Delegates the read-loop bookkeeping; only where the bytes go is ours. */
    private final class FrameHandle implements ExtendedHandle {
        private final ExtendedHandle delegate;

        FrameHandle(ExtendedHandle delegate) {
            this.delegate = delegate;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            ByteBuf target = assembler.readTarget();
            return target != null ? target : delegate.allocate(alloc);
        }

        @Override
        public int guess() {
            return delegate.guess();
        }

        @Override
        public void reset(io.netty.channel.ChannelConfig config) {
            delegate.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            delegate.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            delegate.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return delegate.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            delegate.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return delegate.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return delegate.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return delegate.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            delegate.readComplete();
        }
    }
}
