package dev.kadshare.transfer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import dev.kadshare.transfer.wire.FrameCodec;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Where {@link FrameAssembler} puts whole frames. Large frames (chunks) go into direct buffers that are
 * kept and reused once released: Netty's allocators hand a buffer this big fresh memory again and again
 * (the JDK zero-fills it and the kernel faults it in, page by page), which cost more CPU than the copy
 * into it. Every released buffer is kept until {@link #close}, so there are never more than the most
 * frames that were alive at once, which the request pipeline bounds; then they are freed, or kept in a
 * {@link ChunkBufferPool} for the next download. Small frames come from the channel's allocator. Thread-safe:
 * a frame may be released on any thread.
 */
public final class FrameBuffers implements AutoCloseable {
    /** Below this a frame is a control message: the channel's pooled allocator serves it well. */
    private static final int LARGE = 64 << 10;
    /**
     * A large frame is a chunk: its body (after the frame's type and index) starts on this boundary, so
     * the store can write it to disk directly (O_DIRECT needs block-aligned memory).
     */
    private static final int BODY_ALIGNMENT = 4096;

    private final boolean recycle;
    /** Where a chunk buffer comes from when none is kept. */
    private final IntFunction<ByteBuffer> fresh;
    /** Where a chunk buffer goes once this no longer keeps it. */
    private final Consumer<ByteBuffer> discard;
    /** The length of a chunk frame of this download; 0 until its manifest is known. */
    private volatile int chunkFrameLength;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private boolean closed;

    private FrameBuffers(boolean recycle, IntFunction<ByteBuffer> fresh, Consumer<ByteBuffer> discard) {
        this.recycle = recycle;
        this.fresh = fresh;
        this.discard = discard;
    }

    /**
     * Reuses chunk buffers until closed (e.g. for all the connections of one download), then frees them. Until
     * {@link #expectChunkFrames} every frame is treated as a claim that must be backed by bytes.
     */
    public static FrameBuffers recycling() {
        return new FrameBuffers(true, ByteBuffer::allocateDirect, PlatformDependent::freeDirectBuffer);
    }

    /**
     * As {@link #recycling()}, its chunk buffers taken from {@code pool} and given back to it once closed, for the
     * next download; {@code sweeper} (the download's event loop) gives them back to the system if none comes.
     */
    public static FrameBuffers recyclingThrough(ChunkBufferPool pool, EventExecutor sweeper) {
        return new FrameBuffers(true, pool::take, b -> pool.give(b, sweeper));
    }

    /** Every frame from the channel's allocator: for connections that receive only small frames. */
    public static FrameBuffers fromChannel() {
        return new FrameBuffers(false, ByteBuffer::allocateDirect, PlatformDependent::freeDirectBuffer);
    }

    /** Lets the kept buffers go (freed, or to the pool); buffers released from now on go at once. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (ByteBuffer b = poll(); b != null; b = poll()) {
            discard.accept(b);
        }
    }

    private synchronized ByteBuffer poll() {
        return idle.poll();
    }

    /**
     * Chunk frames of this download are {@code length} bytes long (header included): a frame up to that long
     * gets a whole kept buffer at once, for the socket to read straight into.
     */
    public void expectChunkFrames(int length) {
        chunkFrameLength = length;
    }

    /**
     * An empty direct buffer for a frame of exactly {@code length} bytes (its max capacity). A recycling one
     * holds a chunk frame all at once, so it can be read straight into, when {@code chunkOwed} (the peer owes us
     * chunks); any other large frame's buffer starts at {@link #LARGE} and grows with the bytes that arrive: a
     * peer's 4-byte claim of 16 MiB must not cost us 16 MiB before it sent them (on a serving connection anyone
     * may open one; a peer we dialled and asked nothing may claim one on each of ours).
     */
    ByteBuf allocate(ByteBufAllocator alloc, int length, boolean chunkOwed) {
        if (!recycle || !chunkOwed || length < LARGE || length > chunkFrameLength) {
            return alloc.directBuffer(Math.min(length, LARGE), length);
        }
        ByteBuffer whole = take(length);
        return new Recycled(alloc, whole, length);
    }

    private synchronized ByteBuffer take(int length) {
        for (Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
            ByteBuffer b = it.next();
            if (b.capacity() >= length + BODY_ALIGNMENT) {
                it.remove();
                return b;
            }
        }
        return fresh.apply(length + BODY_ALIGNMENT);
    }

    /** Where in {@code whole} a frame starts so that its chunk body is {@link #BODY_ALIGNMENT}-aligned. */
    private static int frameStart(ByteBuffer whole) {
        return (BODY_ALIGNMENT - whole.alignmentOffset(FrameCodec.CHUNK_HEADER_BYTES, BODY_ALIGNMENT)) % BODY_ALIGNMENT;
    }

    private void give(ByteBuffer whole) {
        synchronized (this) {
            if (!closed) {
                idle.addFirst(whole);
                return;
            }
        }
        discard.accept(whole); // freed, not left for a GC that may be far off; or pooled
    }

    /** A frame in a kept buffer, handed back to the pool when its last reference goes. */
    private final class Recycled extends UnpooledDirectByteBuf {
        private final ByteBuffer whole;

        Recycled(ByteBufAllocator alloc, ByteBuffer whole, int length) {
            super(alloc, whole.clear().position(frameStart(whole)).limit(frameStart(whole) + length), length);
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
