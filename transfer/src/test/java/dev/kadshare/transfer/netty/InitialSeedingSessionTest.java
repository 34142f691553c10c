package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kadshare.transfer.ContentSource;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.Uploads;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that is its content's initial seeder, seen from two connections on embedded channels. */
class InitialSeedingSessionTest {
    @TempDir
    Path dir;

    private static BitSet bitfieldAfterHello(EmbeddedChannel channel, Manifest manifest) {
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertInstanceOf(Message.Hello.class, channel.readOutbound());
        BitSet bitfield = ((Message.Bitfield) channel.readOutbound()).toBitSet();
        assertNull(channel.readOutbound(), "no CHOKE: the reveals ration the upload, not the slots");
        return bitfield;
    }

    private static void receiveChunk(EmbeddedChannel channel, int index) {
        ByteBuf header = channel.readOutbound();
        assertEquals(index, header.getInt(5));
        header.release();
        ((DefaultFileRegion) channel.readOutbound()).release();
    }

    @Test
    void eachChunkIsRevealedToOnePeerAndAChunkThatWentOutRevealsTheNext() throws Exception {
        ServedFile served = ServedFile.of(dir, 10_000, 1000);
        Manifest manifest = served.manifest();
        ContentSource source = served.source();
        Uploads uploads = new Uploads(TransferLimits.defaults());
        uploads.seedInitially(manifest.contentId(), manifest.chunkCount());
        EmbeddedChannel a = new EmbeddedChannel(new ServerSession(source, uploads, PeerId.UNKNOWN));
        EmbeddedChannel b = new EmbeddedChannel(new ServerSession(source, uploads, PeerId.UNKNOWN));

        BitSet toA = bitfieldAfterHello(a, manifest);
        assertEquals(4, toA.cardinality(), "the first peer takes every reveal ahead of sending: " + toA);
        assertEquals(new BitSet(), bitfieldAfterHello(b, manifest), "nothing left to reveal to b yet");

        int first = toA.nextSetBit(0);
        a.writeInbound(new Message.Request(first));
        receiveChunk(a, first);
        b.runPendingTasks();
        Message.Have toB = b.readOutbound();
        assertFalse(toA.get(toB.index()), "b hears of a chunk a was not told of");
        assertNull(b.readOutbound(), "one chunk went out, one new reveal");

        a.close(); // what a was told of and never asked for goes to b
        b.runPendingTasks();
        BitSet later = new BitSet();
        for (Object m = b.readOutbound(); m != null; m = b.readOutbound()) {
            later.set(((Message.Have) m).index());
        }
        BitSet unsentAtA = (BitSet) toA.clone();
        unsentAtA.clear(first);
        assertEquals(unsentAtA, later);
    }
}
