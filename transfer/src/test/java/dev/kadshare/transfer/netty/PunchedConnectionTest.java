package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hole punching's sockets on 127.0.0.1, on either transport: a download dials from the port its node listens on, and
 * a server dials an introduced getter from its own listening port. (That both meet in one connection through two
 * NATs is {@code PunchedGetIT}'s, in network namespaces.)
 */
class PunchedConnectionTest {
    @TempDir
    Path dir;

    private static EventLoopGroup group(Transport transport) {
        assumeTrue(transport == Transport.NIO || Epoll.isAvailable(), "epoll is not available here");
        return transport.newGroup(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDownloadDialsFromItsNodesListeningPort(Transport transport) throws Exception {
        EventLoopGroup group = group(transport);
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("p.bin"), data);
        Manifest manifest = Manifest.ofFile(file, "p.bin", 64 * 1024);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (TransferServer seeder = TransferServer.start(loopback, id -> Optional.of(new SharedContent(manifest, file)), group);
             TransferServer ours = TransferServer.start(loopback, id -> Optional.empty(), group)) {
            NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(seeder.localAddress()),
                    dir.resolve("out"), group, DownloadOptions.defaults(), NettyDownload.Milestones.NONE,
                    LinkSecurity.ephemeral(), Map.of(seeder.localAddress(), ours.localAddress()));

            Path done = download.completion().get(30, TimeUnit.SECONDS);

            assertArrayEquals(data, Files.readAllBytes(done));
            assertTrue(download.isPunched(seeder.localAddress()));
            assertEquals(List.of(ours.localAddress().getPort()), seeder.uploads().peers(manifest.contentId()).stream()
                    .map(peer -> peer.address().getPort()).toList(), "the seeder saw it come from our listening port");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerPunchesFromItsListeningPort(Transport transport) throws Exception {
        EventLoopGroup group = group(transport);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (TransferServer server = TransferServer.start(loopback, id -> Optional.empty(), group);
             ServerSocket getter = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            getter.setSoTimeout(30_000);

            boolean made = server.punch((InetSocketAddress) getter.getLocalSocketAddress(), 3).get(30, TimeUnit.SECONDS);

            try (Socket accepted = getter.accept()) {
                assertTrue(made);
                assertEquals(server.localAddress().getPort(), accepted.getPort(), "dialled from the port it listens on");
                assertEquals(1, server.punchedConnections());
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPunchNobodyAnswersGivesUpAfterItsAttempts(Transport transport) throws Exception {
        EventLoopGroup group = group(transport);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort(); // free again once closed: a connection there is refused
        }
        try (TransferServer server = TransferServer.start(loopback, id -> Optional.empty(), group)) {
            assertFalse(server.punch(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), 3)
                    .get(60, TimeUnit.SECONDS));
            assertEquals(0, server.punchedConnections());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
