package dev.kadshare.transfer.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.relay.RelayStatus;
import dev.kadshare.transfer.relay.RelayWire;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay is one of the DHT nodes that stored the sharer's announcement: anyone. The link through it is end to end
 * only if the getter holds the far end to the peer it asked for; with no proven key for that address (the relayed
 * case: the peer was never reached directly) XX accepts whatever key answers. So the relay can answer as the peer
 * itself, and whatever it does then is charged to the peer's address.
 */
class RelayImpersonationTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    @TempDir
    Path dir;
    private final EventLoopGroup group = Transport.NIO.newGroup(2);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutDown() {
        sockets.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aRelayCannotGetTheHonestPeerBannedByAnsweringInItsPlace() throws Exception {
        byte[] data = new byte[400_000];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("honest.bin"), data);
        Manifest manifest = Manifest.ofFile(file, "honest.bin", 64 * 1024);
        byte[] garbage = new byte[data.length];
        new Random(4).nextBytes(garbage);
        Path forged = Files.write(dir.resolve("forged.bin"), garbage);
        PeerBans bans = new PeerBans();

        try (TransferServer honest = TransferServer.start(LOOPBACK,
                     id -> Optional.of(new SharedContent(manifest, file)), group);
             // The relay's own server (its own identity), serving garbage under the real manifest.
             TransferServer relaysOwn = TransferServer.start(LOOPBACK,
                     id -> Optional.of(new SharedContent(manifest, forged)), group);
             ServerSocket relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress peer = honest.localAddress();
            Thread relayThread = new Thread(() -> relayInto(relay, relaysOwn.localAddress()), "malicious-relay");
            relayThread.setDaemon(true);
            relayThread.start();
            InetSocketAddress relayAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.getLocalPort());

            NettyDownload.start(manifest.contentId(), List.of(peer), dir.resolve("out"), group,
                    DownloadOptions.builder().bans(bans).build(), NettyDownload.Milestones.NONE,
                    LinkSecurity.ephemeral(), Map.of(), Map.of(peer, relayAddress));

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                PeerBans.Counts c = bans.counts();
                return c.nodeIds() + c.ips() + c.endpoints() > 0;
            });
            assertFalse(bans.isBanned(peer), "the honest sharer at " + peer
                    + " is banned node-wide for bytes its relay made up: " + bans.counts());
        }
    }

    /** Answers every relay request ACCEPTED and splices the connection to {@code to}: a relay's own server. */
    private void relayInto(ServerSocket relay, InetSocketAddress to) {
        for (int i = 0; i < 20 && !relay.isClosed(); i++) {
            try {
                Socket getter = relay.accept();
                sockets.add(getter);
                getter.getInputStream().readNBytes(7 + 4 + 2); // a CONNECT naming an IPv4 peer
                getter.getOutputStream().write(RelayWire.answer(RelayStatus.ACCEPTED));
                Socket far = new Socket(to.getAddress(), to.getPort());
                sockets.add(far);
                pump(getter.getInputStream(), far.getOutputStream());
                pump(far.getInputStream(), getter.getOutputStream());
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException ignored) {
                // either end closed
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }
}
