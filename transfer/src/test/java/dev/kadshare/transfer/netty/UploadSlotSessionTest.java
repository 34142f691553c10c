package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions competing for a content's upload slots, on embedded channels; the test rotates by hand. */
class UploadSlotSessionTest {
    @TempDir
    Path dir;

    /** The server's first messages after a HELLO, up to the BITFIELD and a CHOKE if it starts choked. */
    private static List<Object> hello(EmbeddedChannel channel, Manifest manifest) {
        channel.writeInbound(new Message.Hello(FrameCodec.PROTOCOL_VERSION, manifest.contentId()));
        List<Object> out = new ArrayList<>();
        for (Object m = channel.readOutbound(); m != null; m = channel.readOutbound()) {
            out.add(m);
        }
        return out;
    }

    /** What the session told its peer about its slot since the last call: CHOKE, UNCHOKE or nothing. */
    private static Optional<Object> slotNews(EmbeddedChannel channel) {
        channel.runPendingTasks();
        return Optional.ofNullable(channel.readOutbound());
    }

    @Test
    void aConnectionThatRequestsNothingForAWholePeriodLosesItsSlotFirst() throws Exception {
        ServedFile served = ServedFile.of(dir, 4000, 1000);
        Manifest manifest = served.manifest();
        ContentSource source = served.source();
        Uploads uploads = new Uploads(TransferLimits.defaults().withUploadSlots(3, Duration.ofSeconds(1)));
        List<EmbeddedChannel> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EmbeddedChannel channel = new EmbeddedChannel(new ServerSession(source, uploads, PeerId.UNKNOWN));
            List<Object> greeting = hello(channel, manifest);
            assertEquals(i < 3 ? 2 : 3, greeting.size(), "three served at once, the fourth choked: " + greeting);
            sessions.add(channel);
        }
        EmbeddedChannel a = sessions.get(0);
        EmbeddedChannel b = sessions.get(1);
        EmbeddedChannel c = sessions.get(2);
        EmbeddedChannel d = sessions.get(3);

        uploads.rotateSlots(); // nobody has been served a whole period yet: the longest served yields
        assertInstanceOf(Message.Choke.class, slotNews(a).orElseThrow());
        assertInstanceOf(Message.Unchoke.class, slotNews(d).orElseThrow());

        b.writeInbound(new Message.Request(1)); // b uses its slot, c does not
        ByteBuf header = b.readOutbound();
        assertEquals(1, header.getInt(5));
        header.release();
        ((DefaultFileRegion) b.readOutbound()).release();
        uploads.rotateSlots();
        assertInstanceOf(Message.Choke.class, slotNews(c).orElseThrow(), "idle c yields");
        assertNull(slotNews(b).orElse(null), "b, served longer but asking, keeps its slot");
        assertNull(slotNews(d).orElse(null), "d only just got its slot");
        assertInstanceOf(Message.Unchoke.class, slotNews(a).orElseThrow());
        sessions.forEach(EmbeddedChannel::finishAndReleaseAll);
    }
}
