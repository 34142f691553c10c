package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.Transport;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.node.transfers.TransferState;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downloader helps the swarm before it is done: once its download holds a chunk its node announces itself in the
 * DHT, and from the manifest on its node serves the partial content.
 */
class DownloaderServesAndAnnouncesTest {
    @TempDir
    Path dir;

    @Test
    void aDownloaderIsAnnouncedAndServedFromWhileItIsStillDownloading() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/partial.bin"), 1024 * 1024, 43);
        EventLoopGroup probeLoop = Transport.preferred().newGroup(1);
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             // The sharer uploads slowly (about 4 s for the file), so C is a partial holder for a while.
             Node b = Node.start(new NodeConfig(new DataDir(dir.resolve("b")),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(a.address()),
                     new NodeConfig.RateLimits(256 * 1024, 0)));
             Node c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()));
             Node d = NodeTestSupport.loopbackNode(dir.resolve("d"), List.of(a.address()))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            c.bootstrapped().get(10, TimeUnit.SECONDS);
            d.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(b.share(original).get(30, TimeUnit.SECONDS).link());
            Transfer first = c.get(link, Files.createDirectories(dir.resolve("c-out")));

            // A bare DHT node looking the content up finds C among its holders.
            Dht probe = NodeTestSupport.loopbackDht(5, probeLoop);
            try {
                probe.bootstrap(List.of(a.address())).get(10, TimeUnit.SECONDS);
                NodeId key = NodeId.of(link.contentId().bytes());
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> probe
                        .lookupPeers(key).get(10, TimeUnit.SECONDS).peers().stream()
                        .anyMatch(peer -> peer.getPort() == c.port()));
                assertEquals(TransferState.DOWNLOADING, first.state(), "announced before it was done");
            } finally {
                probe.close();
            }

            Transfer later = d.get(link, Files.createDirectories(dir.resolve("d-out")));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> d.statusOf(later)
                    .peers().stream().anyMatch(p -> p.address().endsWith(":" + c.port()) && p.bytesDownloaded() > 0));
            assertEquals(TransferState.DOWNLOADING, first.state(), "served from before it was done");

            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(later.done().get(60, TimeUnit.SECONDS)));
            first.done().get(60, TimeUnit.SECONDS);
        } finally {
            probeLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
