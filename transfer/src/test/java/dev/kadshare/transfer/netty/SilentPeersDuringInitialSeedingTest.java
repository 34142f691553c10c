package dev.kadshare.transfer.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target of issue 14 at the socket level, scaled: 100 connections join an initial seeder and stay silent (each
 * is revealed a chunk it never asks for); an honest downloader arriving after them still gets every chunk, the
 * silent peers' ones once their reveals expire. How much later than without them is {@code SilentSeedingBenchmark}'s
 * figure, not asserted here.
 */
class SilentPeersDuringInitialSeedingTest {
    @TempDir
    Path dir;

    @Test
    void anHonestDownloaderCompletesPastAHundredSilentConnections() throws Exception {
        byte[] data = new byte[16 << 20]; // 256 chunks of 64 KiB: the silent peers hold 100 of them a while
        new Random(14).nextBytes(data);
        Path file = Files.write(dir.resolve("seeded.bin"), data);
        Manifest manifest = Manifest.ofFile(file, "seeded.bin", 64 * 1024);
        EventLoopGroup group = Transport.NIO.newGroup(2);
        try (TransferServer seeder = TransferServer.start(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                id -> id.equals(manifest.contentId()) ? Optional.of(new SharedContent(manifest, file)) : Optional.empty(),
                group)) {
            seeder.seedInitially(manifest.contentId());
            try (SilentCrowd crowd = SilentCrowd.join(seeder.localAddress(), manifest.contentId(), 100)) {
                NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(seeder.localAddress()),
                        dir.resolve("out"), group, DownloadOptions.defaults());
                await().atMost(Duration.ofSeconds(60)).until(() -> download.completion().isDone());
                assertArrayEquals(data, Files.readAllBytes(download.completion().get()));
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
