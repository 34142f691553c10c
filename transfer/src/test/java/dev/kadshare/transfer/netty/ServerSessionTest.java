package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ServedContent;
import dev.kadshare.transfer.ServingOnly;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving side alone, on an embedded channel: messages in, messages and file regions out. */
class ServerSessionTest {
    @TempDir
    Path dir;
    private Manifest manifest;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[2500]);
        manifest = Manifest.ofFile(file, "f.bin", 1000);
        SharedContent shared = new SharedContent(manifest, file);
        channel = new EmbeddedChannel(new ServerSession(
                id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty()));
    }

    private void hello() {
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertEquals(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()), channel.readOutbound());
        Message.Bitfield bitfield = channel.readOutbound();
        assertEquals(3, bitfield.toBitSet().cardinality(), "a complete share holds every chunk");
    }

    @Test
    void aPartialDownloadServesOnlyWhatItHoldsAndAnnouncesNewChunks() {
        java.util.BitSet held = new java.util.BitSet();
        held.set(1);
        ServedContent partial = ServedContent.partial(manifest, dir.resolve("f"), held);
        EmbeddedChannel ch = new EmbeddedChannel(new ServerSession(ServingOnly.of(partial)));
        ch.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertInstanceOf(Message.Hello.class, ch.readOutbound());
        assertEquals(held, ((Message.Bitfield) ch.readOutbound()).toBitSet());
        ch.writeInbound(new Message.Request(0));
        assertEquals(0, ((Message.Reject) ch.readOutbound()).index());
        partial.add(0);
        ch.runPendingTasks();
        assertEquals(new Message.Have(0), ch.readOutbound());
        ch.writeInbound(new Message.Request(0));
        ByteBuf header = ch.readOutbound();
        assertEquals(0, header.getInt(5));
        header.release();
        ((DefaultFileRegion) ch.readOutbound()).release();
        ch.close();
        partial.add(2); // after close, no subscriber is left to write to a closed channel
        ch.runPendingTasks();
        assertNull(ch.readOutbound());
    }

    @Test
    void noHaveGoesToAPeerKnownToHoldTheChunkAlready() {
        ServedContent partial = ServedContent.partial(manifest, dir.resolve("f"), new java.util.BitSet());
        PeerId knowing = PeerId.of(new byte[] {7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
        // What this node's own download heard from that peer's server: chunk 0, then chunk 1.
        partial.peerHoldings().holdsAll(knowing, java.util.BitSet.valueOf(new long[] {0b01}));
        partial.peerHoldings().holds(knowing, 1);
        EmbeddedChannel known = servingPartial(partial, knowing);
        EmbeddedChannel anonymous = servingPartial(partial, PeerId.UNKNOWN);
        for (int i = 0; i < 3; i++) {
            partial.add(i);
        }
        known.runPendingTasks();
        anonymous.runPendingTasks();
        assertEquals(new Message.Have(2), known.readOutbound(), "0 and 1 are held already");
        assertNull(known.readOutbound());
        for (int i = 0; i < 3; i++) {
            assertEquals(new Message.Have(i), anonymous.readOutbound(), "a peer without an id hears of everything");
        }
    }

    /** A session serving {@code partial} to a peer that said HELLO with {@code peer}; past its HELLO and BITFIELD. */
    private EmbeddedChannel servingPartial(ServedContent partial, PeerId peer) {
        EmbeddedChannel ch = new EmbeddedChannel(new ServerSession(ServingOnly.of(partial)));
        ch.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, peer, manifest.contentId()));
        assertInstanceOf(Message.Hello.class, ch.readOutbound());
        assertInstanceOf(Message.Bitfield.class, ch.readOutbound());
        for (Object more = ch.readOutbound(); more != null; more = ch.readOutbound()) {
            assertFalse(more instanceof Message.Have, "no HAVE before a chunk is added: " + more);
        }
        return ch;
    }

    @Test
    void servesManifestAndChunksAfterHello() {
        hello();
        channel.writeInbound(new Message.ManifestRequest());
        Message.ManifestData data = channel.readOutbound();
        assertArrayEquals(manifest.canonicalBytes(), data.canonicalBytes());

        channel.writeInbound(new Message.Request(2));
        ByteBuf header = channel.readOutbound();
        assertEquals(2, header.getInt(5));
        assertEquals(FrameCodec.CHUNK_HEADER_BYTES + 500, header.getInt(0));
        header.release();
        DefaultFileRegion body = channel.readOutbound();
        assertEquals(2000, body.position());
        assertEquals(500, body.count());
        body.release();
        assertTrue(channel.isOpen());
    }

    @Test
    void rejectsAChunkThatDoesNotExist() {
        hello();
        channel.writeInbound(new Message.Request(3));
        assertInstanceOf(Message.Reject.class, channel.readOutbound());
        assertTrue(channel.isOpen());
    }

    @Test
    void saysGoodbyeToUnknownContentAndWrongVersions() {
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, ContentId.fromHex("00".repeat(32))));
        assertInstanceOf(Message.Goodbye.class, channel.readOutbound());
        assertFalse(channel.isOpen());

        EmbeddedChannel other = new EmbeddedChannel(new ServerSession(id -> Optional.empty()));
        other.writeInbound(new Message.Hello(99, manifest.contentId()));
        assertInstanceOf(Message.Goodbye.class, other.readOutbound());
        assertFalse(other.isOpen());
    }

    @Test
    void closesOnRequestsBeforeHello() {
        channel.writeInbound(new Message.Request(0));
        assertNull(channel.readOutbound());
        assertFalse(channel.isOpen());
    }

    @Test
    void closesOnMessagesOnlyAServerSends() {
        hello();
        channel.writeInbound(new Message.ManifestData(new byte[1]));
        assertFalse(channel.isOpen());
    }
}
