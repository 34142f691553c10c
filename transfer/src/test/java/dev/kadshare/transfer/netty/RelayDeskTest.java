package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.relay.RelayCaps;
import dev.kadshare.transfer.relay.RelayRequest;
import dev.kadshare.transfer.relay.RelayStatus;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A relay request has as long to arrive whole as a link's handshake; once it has, the circuit's own times rule. */
class RelayDeskTest {
    private final RelayService relay = new RelayService(RelayCaps.defaults(), () -> true);
    private final byte[] reserve = RelayWire.encode(new RelayRequest.Reserve(7000));

    /** A desk on a channel from a loopback address, as the server's are. */
    private EmbeddedChannel desk() {
        return new EmbeddedChannel(new RelayDesk(relay)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
            }
        };
    }

    @Test
    void aRequestThatDoesNotArriveWholeWithinTheDeadlineIsClosed() {
        EmbeddedChannel channel = desk();
        channel.writeInbound(Unpooled.wrappedBuffer(reserve, 0, reserve.length - 1)); // all but its last byte
        channel.advanceTimeBy(LinkHandshakeHandler.DEADLINE.toSeconds() - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen(), "a request trickled in holds no connection past the deadline");
    }

    @Test
    void aReservationMadeInTimeOutlivesTheDeadline() {
        EmbeddedChannel channel = desk();
        channel.writeInbound(Unpooled.wrappedBuffer(reserve));
        ByteBuf answer = channel.readOutbound();
        assertEquals(RelayStatus.ACCEPTED, RelayWire.parseAnswer(ByteBufUtil.getBytes(answer)));
        answer.release();
        channel.advanceTimeBy(LinkHandshakeHandler.DEADLINE.toSeconds() + 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "it waits for its getter");
        channel.close().syncUninterruptibly();
    }
}
