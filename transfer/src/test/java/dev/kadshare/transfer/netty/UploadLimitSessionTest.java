package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kadshare.transfer.TokenBucket;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions sharing the node's upload bucket, on embedded channels, the bucket on a hand-driven clock. */
class UploadLimitSessionTest {
    @TempDir
    Path dir;
    private long now;

    private static EmbeddedChannel greeted(Uploads uploads, Manifest manifest, ServedFile served) {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerSession(served.source(), uploads, PeerId.UNKNOWN));
        channel.freezeTime();
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        assertInstanceOf(Message.Hello.class, channel.readOutbound());
        assertInstanceOf(Message.Bitfield.class, channel.readOutbound());
        return channel;
    }

    /** The chunk the session wrote, or null if it wrote nothing. */
    private static Integer sentChunk(EmbeddedChannel channel) {
        ByteBuf header = channel.readOutbound();
        if (header == null) {
            return null;
        }
        int index = header.getInt(5);
        header.release();
        ((DefaultFileRegion) channel.readOutbound()).release();
        return index;
    }

    /** The uploads of a node whose upload is capped at 1000 B/s with {@code burst}, on the test's clock. */
    private Uploads limitedTo1000BytesPerSecond(long burst) {
        return new Uploads(new TransferLimits(new TokenBucket(1000, burst, () -> now), 0, 8, Duration.ofSeconds(1)));
    }

    private void advance(Duration d, EmbeddedChannel... channels) {
        now += d.toNanos();
        for (EmbeddedChannel c : channels) {
            c.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
            c.runScheduledPendingTasks();
        }
    }

    @Test
    void aChunkWaitingForTheNodeUploadLimitCanBeCancelledAndCostsNothing() throws Exception {
        ServedFile served = ServedFile.of(dir, 4000, 1000);
        Manifest manifest = served.manifest();
        Uploads uploads = limitedTo1000BytesPerSecond(1000);
        EmbeddedChannel a = greeted(uploads, manifest, served);
        EmbeddedChannel b = greeted(uploads, manifest, served);

        a.writeInbound(new Message.Request(0));
        assertEquals(0, sentChunk(a), "the burst");
        b.writeInbound(new Message.Request(1));
        assertEquals(1, sentChunk(b), "the bucket was not in debt yet: a second of debt now");
        a.writeInbound(new Message.Request(2));
        assertNull(sentChunk(a), "waits for the debt");
        a.writeInbound(new Message.Cancel(2));
        advance(Duration.ofSeconds(2), a, b);
        assertNull(sentChunk(a), "cancelled while waiting: never sent");

        b.writeInbound(new Message.Request(3));
        assertEquals(3, sentChunk(b), "the cancelled chunk took none of the upload: the bucket refilled");
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void aWaitingSessionSendsOnceTheDebtIsPaid() throws Exception {
        ServedFile served = ServedFile.of(dir, 4000, 1000);
        Manifest manifest = served.manifest();
        Uploads uploads = limitedTo1000BytesPerSecond(0);
        EmbeddedChannel a = greeted(uploads, manifest, served);
        a.writeInbound(new Message.Request(0));
        a.writeInbound(new Message.Request(1));
        assertEquals(0, sentChunk(a));
        assertNull(sentChunk(a), "a second of debt first");
        advance(Duration.ofMillis(999), a);
        assertNull(sentChunk(a));
        advance(Duration.ofMillis(1), a);
        assertEquals(1, sentChunk(a));
        a.finishAndReleaseAll();
    }
}
