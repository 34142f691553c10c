package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Chunk buffers come back for the next frame instead of being allocated afresh. */
class FrameBuffersTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** Buffers for a download whose chunk frames are 1 MiB long. */
    private static FrameBuffers chunksOfOneMib() {
        FrameBuffers buffers = FrameBuffers.recycling();
        buffers.expectChunkFrames(1 << 20);
        return buffers;
    }

    @Test
    void aReleasedChunkBufferIsReusedEmptyAndExactlySized() {
        FrameBuffers buffers = chunksOfOneMib();
        ByteBuf first = buffers.allocate(ALLOC, 1 << 20, true);
        first.writeByte(42);
        java.nio.ByteBuffer memory = first.nioBuffer(0, 1);
        first.release();
        ByteBuf second = buffers.allocate(ALLOC, (1 << 20) - 7, true); // an odd last chunk fits a kept buffer
        assertEquals(0, second.readableBytes());
        assertEquals((1 << 20) - 7, second.capacity());
        assertEquals((1 << 20) - 7, second.maxCapacity());
        second.writeByte(43);
        assertEquals(43, memory.get(0)); // the same memory: the first buffer came back
        second.release();
        buffers.close();
    }

    @Test
    void aChunkLongFrameNobodyOwesStartsSmallAndGrowsWithItsBytes() {
        FrameBuffers buffers = chunksOfOneMib();
        ByteBuf claimed = buffers.allocate(ALLOC, 1 << 20, false);
        assertEquals(64 << 10, claimed.capacity(), "a 4-byte claim costs no whole chunk buffer");
        assertEquals(1 << 20, claimed.maxCapacity());
        claimed.writeBytes(new byte[100 << 10]);
        assertTrue(claimed.capacity() >= 100 << 10, "the bytes that came have room");
        claimed.release();
        buffers.close();
    }

    @Test
    void twoLiveFramesNeverShareMemory() {
        FrameBuffers buffers = chunksOfOneMib();
        ByteBuf a = buffers.allocate(ALLOC, 1 << 20, true);
        ByteBuf b = buffers.allocate(ALLOC, 1 << 20, true);
        a.writeByte(1);
        b.writeByte(2);
        assertEquals(1, a.getByte(0));
        a.release();
        ByteBuf c = buffers.allocate(ALLOC, 1 << 20, true); // takes a's memory, never b's
        c.writeByte(3);
        assertEquals(2, b.getByte(0));
        b.release();
        c.release();
        buffers.close();
        ByteBuf afterClose = buffers.allocate(ALLOC, 1 << 20, true);
        assertTrue(afterClose.release());
    }

    @Test
    void aChunkBodyStartsOnABlockBoundary() {
        FrameBuffers buffers = chunksOfOneMib();
        for (int length : new int[] {1 << 20, (1 << 20) - 7, 1 << 20}) { // fresh, reused, reused again
            ByteBuf frame = buffers.allocate(ALLOC, length, true);
            java.nio.ByteBuffer body = frame.nioBuffer(FrameCodec.CHUNK_HEADER_BYTES,
                    length - FrameCodec.CHUNK_HEADER_BYTES);
            assertEquals(0, body.alignmentOffset(0, 4096), "body of a " + length + "-byte frame");
            frame.release();
        }
        buffers.close();
    }
}
