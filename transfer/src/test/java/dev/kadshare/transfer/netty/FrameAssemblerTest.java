package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frames out of a byte stream however the reads split it. */
class FrameAssemblerTest {
    private static ByteBuf frames(String... bodies) {
        ByteBuf out = Unpooled.buffer();
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            out.writeInt(bytes.length).writeBytes(bytes);
        }
        return out;
    }

    private static String next(EmbeddedChannel channel) {
        ByteBuf frame = channel.readInbound();
        try {
            return frame.toString(StandardCharsets.US_ASCII);
        } finally {
            frame.release();
        }
    }

    @Test
    void framesSplitAnywhereComeOutWhole() {
        ByteBuf stream = frames("hello", "", "a longer frame body");
        for (int split = 1; split < stream.readableBytes(); split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new FrameAssembler(FrameBuffers.fromChannel()));
            channel.writeInbound(stream.retainedSlice(0, split));
            channel.writeInbound(stream.retainedSlice(split, stream.readableBytes() - split));
            assertEquals("hello", next(channel));
            assertEquals("", next(channel));
            assertEquals("a longer frame body", next(channel));
            assertNull(channel.readInbound());
            channel.finishAndReleaseAll();
        }
        stream.release();
    }

    @Test
    void oneByteAtATime() {
        ByteBuf stream = frames("abc", "defgh");
        EmbeddedChannel channel = new EmbeddedChannel(new FrameAssembler(FrameBuffers.fromChannel()));
        while (stream.isReadable()) {
            channel.writeInbound(stream.readRetainedSlice(1));
        }
        assertEquals("abc", next(channel));
        assertEquals("defgh", next(channel));
        stream.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void oversizedLengthFailsBeforeBuffering() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameAssembler(FrameBuffers.fromChannel()));
        ByteBuf huge = Unpooled.buffer().writeInt(FrameCodec.MAX_FRAME_LENGTH + 1).writeByte(1);
        assertThrows(TooLongFrameException.class, () -> channel.writeInbound(huge));
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void aClaimedLengthCostsOnlyWhatArrivesOnAConnectionOfSmallFrames() {
        // A serving connection: anyone may open one, and four bytes used to pin a 16 MiB buffer until it closed.
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new FrameAssembler(FrameBuffers.fromChannel()));
        int length = FrameCodec.MAX_FRAME_LENGTH;
        channel.writeInbound(Unpooled.buffer().writeInt(length).writeByte(1));
        long used = alloc.metric().usedDirectMemory();
        assertTrue(used <= 128 << 10, "a 5-byte claim of " + length + " bytes holds " + used + " bytes");
        assertNull(channel.readInbound());
        // A frame that really is that long still comes out whole.
        byte[] rest = new byte[length - 1];
        rest[rest.length - 1] = 7;
        for (int at = 0; at < rest.length; at += 1 << 20) {
            channel.writeInbound(Unpooled.wrappedBuffer(rest, at, Math.min(1 << 20, rest.length - at)));
        }
        ByteBuf frame = channel.readInbound();
        assertEquals(length, frame.readableBytes());
        assertEquals(1, frame.getByte(0));
        assertEquals(7, frame.getByte(length - 1));
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aDownloadingConnectionHoldsAWholeBufferOnlyForAFrameOfItsChunkSize() {
        // A peer we dialled may claim a 16 MiB frame on each connection: before the manifest no frame gets a
        // whole buffer, and after it only one a chunk long does, from a peer that owes us chunks.
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
        FrameBuffers buffers = FrameBuffers.recycling();
        EmbeddedChannel before = new EmbeddedChannel();
        before.config().setAllocator(alloc);
        before.pipeline().addLast(new FrameAssembler(buffers));
        assertHoldsLittle(alloc, () -> before.writeInbound(
                Unpooled.buffer().writeInt(FrameCodec.MAX_FRAME_LENGTH).writeByte(1)));

        int chunkFrame = FrameCodec.CHUNK_HEADER_BYTES + (1 << 20);
        buffers.expectChunkFrames(chunkFrame);
        EmbeddedChannel after = new EmbeddedChannel();
        after.config().setAllocator(alloc);
        boolean[] owed = new boolean[1];
        FrameAssembler assembler = new FrameAssembler(buffers, () -> owed[0]);
        after.pipeline().addLast(assembler);
        assertHoldsLittle(alloc, () -> after.writeInbound(
                Unpooled.buffer().writeInt(FrameCodec.MAX_FRAME_LENGTH).writeByte(1)));
        after.writeInbound(Unpooled.wrappedBuffer(new byte[FrameCodec.MAX_FRAME_LENGTH - 1]));
        ((ByteBuf) after.readInbound()).release();
        // A chunk frame's length from a peer we asked nothing: no whole buffer on its word (nor on 50 peers' words).
        assertHoldsLittle(alloc, () -> after.writeInbound(Unpooled.buffer().writeInt(chunkFrame).writeByte(2)));
        after.writeInbound(Unpooled.wrappedBuffer(new byte[chunkFrame - 1]));
        ((ByteBuf) after.readInbound()).release();
        owed[0] = true;
        after.writeInbound(Unpooled.buffer().writeInt(chunkFrame).writeByte(2));
        ByteBuf target = assembler.readTarget();
        assertEquals(chunkFrame - 1, target.writableBytes(), "a chunk frame is read straight into its whole buffer");
        target.release();
        before.finishAndReleaseAll();
        after.finishAndReleaseAll();
        buffers.close();
    }

    /** Runs {@code claim} and checks it left at most 128 KiB of direct memory held, Netty's or the JDK's. */
    private static void assertHoldsLittle(UnpooledByteBufAllocator alloc, Runnable claim) {
        long netty = alloc.metric().usedDirectMemory();
        long jdk = jdkDirectBytes();
        claim.run();
        long held = alloc.metric().usedDirectMemory() - netty + jdkDirectBytes() - jdk;
        assertTrue(held <= 128 << 10, "a claim of " + FrameCodec.MAX_FRAME_LENGTH + " bytes holds " + held);
    }

    /** Direct memory the JDK counts (ByteBuffer.allocateDirect, which kept chunk buffers use). */
    private static long jdkDirectBytes() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(p -> p.getName().equals("direct")).mapToLong(
                        java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
    }
}
