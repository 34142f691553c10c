package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.EventExecutor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Chunk buffers outlive the download that made them, within a cap, and go once nothing takes them. */
class ChunkBufferPoolTest {
    private static final int MIB = 1 << 20;
    private static final Duration QUIET = Duration.ofSeconds(30);

    /** An event loop whose clock the test moves. */
    private static EmbeddedChannel loop() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        return channel;
    }

    private static EventExecutor executor(EmbeddedChannel channel) {
        return channel.eventLoop();
    }

    /** Moves the loop's clock on by {@code d} and runs what came due. */
    private static void pass(EmbeddedChannel channel, Duration d) {
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void theNextDownloadReadsIntoTheMemoryTheLastOneLetGo() {
        EmbeddedChannel loop = loop();
        ChunkBufferPool pool = new ChunkBufferPool(64L * MIB, QUIET);
        int chunkFrame = 4 * MIB + 9;
        FrameBuffers first = FrameBuffers.recyclingThrough(pool, executor(loop));
        first.expectChunkFrames(chunkFrame);
        ByteBuf a = first.allocate(ByteBufAllocator.DEFAULT, chunkFrame, true);
        a.writeByte(42);
        ByteBuffer memory = a.nioBuffer(0, 1);
        a.release();
        first.close();
        assertEquals(4 * MIB + 9 + 4096, pool.idleBytes(), "kept for the next download, not freed");

        FrameBuffers second = FrameBuffers.recyclingThrough(pool, executor(loop));
        second.expectChunkFrames(chunkFrame);
        ByteBuf b = second.allocate(ByteBufAllocator.DEFAULT, chunkFrame, true);
        assertEquals(0, pool.idleBytes());
        b.writeByte(43);
        assertEquals(43, memory.get(0), "the same memory");
        b.release();
        second.close();
        loop.finishAndReleaseAll();
    }

    @Test
    void aBufferReleasedAfterItsDownloadEndedComesBackToo() {
        EmbeddedChannel loop = loop();
        ChunkBufferPool pool = new ChunkBufferPool(64L * MIB, QUIET);
        FrameBuffers download = FrameBuffers.recyclingThrough(pool, executor(loop));
        download.expectChunkFrames(MIB);
        ByteBuf hashing = download.allocate(ByteBufAllocator.DEFAULT, MIB, true);
        download.close(); // the chunk is still being hashed
        assertEquals(0, pool.idleBytes());
        hashing.release();
        assertEquals(MIB + 4096, pool.idleBytes());
        loop.finishAndReleaseAll();
    }

    @Test
    void theSmallestBufferThatFitsIsTakenAndNoneTwiceTooLarge() {
        EmbeddedChannel loop = loop();
        ChunkBufferPool pool = new ChunkBufferPool(64L * MIB, QUIET);
        ByteBuffer large = pool.take(4 * MIB);
        ByteBuffer small = pool.take(MIB);
        pool.give(large, executor(loop));
        pool.give(small, executor(loop));
        assertSame(small, pool.take(MIB - 100));
        ByteBuffer forSmallChunks = pool.take(MIB);
        assertNotSame(large, forSmallChunks, "a 1 MiB frame does not hold a 4 MiB buffer");
        assertEquals(MIB, forSmallChunks.capacity());
        assertSame(large, pool.take(3 * MIB));
        loop.finishAndReleaseAll();
    }

    @Test
    void whatPassesTheCapIsFreed() {
        EmbeddedChannel loop = loop();
        ChunkBufferPool pool = new ChunkBufferPool(5L * MIB, QUIET);
        for (int i = 0; i < 3; i++) {
            pool.give(ByteBuffer.allocateDirect(2 * MIB), executor(loop));
        }
        assertEquals(4L * MIB, pool.idleBytes());
        loop.finishAndReleaseAll();
    }

    @Test
    void keptBuffersGoOnceNothingTookOneForAQuietWhile() {
        EmbeddedChannel loop = loop();
        ChunkBufferPool pool = new ChunkBufferPool(64L * MIB, QUIET);
        pool.give(pool.take(MIB), executor(loop));
        pass(loop, QUIET);
        assertEquals(MIB, pool.idleBytes(), "taken in the first quiet while: kept one more");
        pass(loop, QUIET);
        assertEquals(0, pool.idleBytes(), "nothing taken since: given back");

        pool.give(ByteBuffer.allocateDirect(MIB), executor(loop));
        pass(loop, QUIET.dividedBy(2));
        pool.give(pool.take(MIB), executor(loop)); // a download now and then keeps them
        pass(loop, QUIET.dividedBy(2));
        assertEquals(MIB, pool.idleBytes());
        pass(loop, QUIET);
        assertEquals(0, pool.idleBytes());
        loop.finishAndReleaseAll();
    }

    @Test
    void aSweeperThatShutDownIsReplacedByTheNextOne() throws Exception {
        DefaultEventLoop gone = new DefaultEventLoop(); // its node closed: the sweep it held never runs
        ChunkBufferPool pool = new ChunkBufferPool(64L * MIB, QUIET);
        pool.give(pool.take(MIB), gone);
        gone.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        EmbeddedChannel next = loop();
        pool.give(ByteBuffer.allocateDirect(MIB), executor(next));
        pass(next, QUIET);
        pass(next, QUIET);
        assertEquals(0, pool.idleBytes(), "swept on the loop still running");
        next.finishAndReleaseAll();
    }
}
