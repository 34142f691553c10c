package dev.kadshare.transfer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Where {@link FrameAssembler} puts whole frames. Large frames (chunks) go into direct buffers that are
 * kept and reused once released: Netty's allocators hand a buffer this big fresh memory again and again
 * (the JDK zero-fills it and the kernel faults it in, page by page), which cost more CPU than the copy
 * into it. Small frames come from the channel's allocator. Thread-safe: a frame may be released on any
 * thread.
 */
public final class FrameBuffers {
    /** Below this a frame is a control message: the channel's pooled allocator serves it well. */
    private static final int LARGE = 64 << 10;

    private final int keep;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    private FrameBuffers(int keep) {
        this.keep = keep;
    }

    /** Keeps at most {@code keep} released buffers for reuse (e.g. the chunks one download has in flight). */
    public static FrameBuffers recycling(int keep) {
        return new FrameBuffers(keep);
    }

    /** Every frame from the channel's allocator: for connections that receive only small frames. */
    public static FrameBuffers fromChannel() {
        return new FrameBuffers(0);
    }

    /** An empty direct buffer of exactly {@code length} bytes' capacity. */
    ByteBuf allocate(ByteBufAllocator alloc, int length) {
        if (keep == 0 || length < LARGE) {
            return alloc.directBuffer(length, length);
        }
        ByteBuffer whole = take(length);
        return new Recycled(alloc, whole, length);
    }

    private synchronized ByteBuffer take(int length) {
        for (Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
            ByteBuffer b = it.next();
            if (b.capacity() >= length) {
                it.remove();
                return b;
            }
        }
        return ByteBuffer.allocateDirect(length);
    }

    private void give(ByteBuffer whole) {
        ByteBuffer dropped;
        synchronized (this) {
            idle.addFirst(whole);
            dropped = idle.size() > keep ? idle.removeLast() : null;
        }
        if (dropped != null) {
            PlatformDependent.freeDirectBuffer(dropped); // not left for a GC that may be far off
        }
    }

    /** A frame in a kept buffer, handed back to the pool when its last reference goes. */
    private final class Recycled extends UnpooledDirectByteBuf {
        private final ByteBuffer whole;

        Recycled(ByteBufAllocator alloc, ByteBuffer whole, int length) {
            super(alloc, whole.clear().limit(length), length);
            this.whole = whole;
            clear(); // the constructor marks the given bytes readable; this is an empty frame to fill
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // does not free: the buffer was given, so it stays ours
            give(whole);
        }
    }
}
