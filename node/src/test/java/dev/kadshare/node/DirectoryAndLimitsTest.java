package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.testkit.RandomFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory share arrives whole, and a node's download limit holds the download back. */
class DirectoryAndLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aSharedDirectoryArrivesWithEveryFileInPlace() throws Exception {
        Path album = dir.resolve("share/Album");
        RandomFiles.write(album.resolve("cover.jpg"), 300_000, 1);
        RandomFiles.write(album.resolve("disc 1/01 intro.flac"), 1_500_000, 2);
        RandomFiles.write(album.resolve("disc 1/02 theme.flac"), 2_200_001, 3);
        Files.createDirectories(album.resolve("disc 2"));
        Files.write(album.resolve("disc 2/empty.txt"), new byte[0]);
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            ShareResult shared = a.share(album).get(30, TimeUnit.SECONDS);
            assertEquals("Album", shared.name());
            Path out = dir.resolve("out");
            Path got = b.get(MagnetLink.parse(shared.link()), out).done().get(60, TimeUnit.SECONDS);
            assertEquals(out.resolve("Album"), got);
            for (String file : List.of("cover.jpg", "disc 1/01 intro.flac", "disc 1/02 theme.flac", "disc 2/empty.txt")) {
                assertArrayEquals(Files.readAllBytes(album.resolve(file)), Files.readAllBytes(got.resolve(file)), file);
            }
        }
    }

    @Test
    void theNodesDownloadLimitHoldsTheDownloadBack() throws Exception {
        int size = 3 * 1024 * 1024;
        Path file = RandomFiles.write(dir.resolve("share/limited.bin"), size, 4);
        long limit = 1024 * 1024;
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = Node.start(new NodeConfig(new DataDir(dir.resolve("b")),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(a.address()),
                     new NodeConfig.RateLimits(0, limit)))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(a.share(file).get(30, TimeUnit.SECONDS).link());
            long start = System.nanoTime();
            b.get(link, dir.resolve("out")).done().get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            // A lower bound only: a token bucket of 1 MiB/s cannot pass 3 MiB (less one burst) faster than this.
            assertTrue(seconds >= 1.5, "3 MiB at 1 MiB/s took only " + seconds + " s");
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("out/limited.bin")));
        }
    }

    @Test
    void pausedAndResumedAgainAndAgainMidDownloadTheFileStillArrivesWhole() throws Exception {
        int size = 3 * 1024 * 1024;
        Path file = RandomFiles.write(dir.resolve("share/paused.bin"), size, 5);
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = Node.start(new NodeConfig(new DataDir(dir.resolve("b")),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(a.address()),
                     new NodeConfig.RateLimits(0, 1024 * 1024)))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(a.share(file).get(30, TimeUnit.SECONDS).link());
            String id = link.contentId().toHex();
            dev.kadshare.node.transfers.Transfer transfer = b.get(link, dir.resolve("out"));
            // Each resume comes at once after its pause: the new download must wait for the old one to let go
            // of the partial file (closed and marked clean) before it reads the sidecar.
            for (int cycle = 0; cycle < 5; cycle++) {
                await().atMost(Duration.ofSeconds(30)).until(() -> b.transfer(id).orElseThrow().state()
                        == dev.kadshare.node.transfers.TransferState.DOWNLOADING);
                b.pause(id);
                b.resume(id);
            }
            transfer.done().get(60, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("out/paused.bin")));
        }
    }
}
