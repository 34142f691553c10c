package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.ConnectionLimits;
import dev.kadshare.transfer.FloodBan;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener's gate over real accepted sockets that are never registered on a loop, as Netty hands them over. */
class AcceptGateTest {
    private final ConnectionDrops drops = new ConnectionDrops();
    private final ConnectionGuards guards = ConnectionGuards.of(ConnectionLimits.defaults().withMaxConnectionsPerIp(1),
            drops);
    private final EmbeddedChannel listener = new EmbeddedChannel(new AcceptGate(guards, System::nanoTime));
    private ServerSocketChannel server;

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void close() throws IOException {
        listener.finishAndReleaseAll();
        server.close();
    }

    @Test
    void aConnectionBelowTheCapsIsPassedOnUncounted() throws IOException {
        try (Socket client = connect("127.0.0.3")) {
            Channel accepted = accept();
            listener.writeInbound(accepted);
            assertSame(accepted, listener.readInbound());
            assertTrue(accepted.isOpen());
            assertEquals(0, guards.caps().open(), "admitted by the connection's initializer, not here");
            assertEquals(0, drops.count(ConnectionDrop.IP_CAP));
            accepted.unsafe().closeForcibly();
        }
    }

    @Test
    void aConnectionOverItsAddressCapIsResetAndCountedUnregistered() throws IOException {
        assertTrue(guards.caps().admit(InetAddress.getByName("127.0.0.3")).isEmpty());
        try (Socket client = connect("127.0.0.3"); Socket other = connect("127.0.0.4")) {
            Channel refused = accept();
            listener.writeInbound(refused);
            assertNull(listener.readInbound(), "nothing reaches the acceptor that registers connections");
            assertFalse(refused.isOpen());
            assertFalse(refused.isRegistered());
            assertEquals(1, drops.count(ConnectionDrop.IP_CAP));
            client.setSoTimeout(10_000);
            // Reset, not closed: a flood leaves no TIME_WAIT at the server.
            assertThrows(SocketException.class, () -> client.getInputStream().read());

            Channel fromAnother = accept();
            listener.writeInbound(fromAnother);
            assertSame(fromAnother, listener.readInbound(), "the cap is per address");
            fromAnother.unsafe().closeForcibly();
        }
    }

    @Test
    void withoutAKernelFilterAFloodingAddressIsStillRefusedAtAcceptAndNoBanIsCounted() throws IOException {
        ConnectionGuards strict = ConnectionGuards.of(ConnectionLimits.defaults().withMaxConnectionsPerIp(1)
                .withFloodBan(new FloodBan(2, Duration.ofSeconds(30), Duration.ofMinutes(5))), drops);
        EmbeddedChannel unfiltered = new EmbeddedChannel(new AcceptGate(strict, System::nanoTime)); // not epoll
        assertTrue(strict.caps().admit(InetAddress.getByName("127.0.0.3")).isEmpty());
        try {
            for (int i = 0; i < 3; i++) {
                try (Socket client = connect("127.0.0.3")) {
                    Channel refused = accept();
                    unfiltered.writeInbound(refused);
                    assertFalse(refused.isOpen(), "attempt " + i);
                }
            }
            assertEquals(3, drops.count(ConnectionDrop.IP_CAP));
            assertEquals(0, drops.count(ConnectionDrop.FLOOD_BANNED));
        } finally {
            unfiltered.finishAndReleaseAll();
        }
    }

    private Socket connect(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(server.getLocalAddress(), 10_000);
        return socket;
    }

    /** The next accepted connection as Netty's listener hands it to its pipeline: a channel not yet registered. */
    private Channel accept() throws IOException {
        SocketChannel accepted = server.accept();
        return new NioSocketChannel(accepted);
    }
}
