package dev.kadshare.transfer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.netty.NettyDownload;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real downloads over 127.0.0.1 from a server that is the content's initial seeder. */
class InitialSeedingDownloadTest {
    @TempDir
    Path dir;

    @Test
    void downloadsCompleteWhileTheSeederRevealsAFewChunksAtATime() throws Exception {
        byte[] data = new byte[1024 * 1024 + 777];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("data.bin"), data);
        Manifest manifest = Manifest.ofFile(file, "data.bin", 64 * 1024);
        SharedContent shared = new SharedContent(manifest, file);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty(), group)) {
            server.seedInitially(manifest.contentId());
            NettyDownload first = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()),
                    dir.resolve("a"),
                    group);
            Path a = first.completion().get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, Files.readAllBytes(a));
            // The hub publishes its counts once its loop has handled the events at hand: wait for them.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.uploads().bytesUploaded(manifest.contentId()) >= data.length);
            assertEquals(data.length, server.uploads().bytesUploaded(manifest.contentId()),
                    "every chunk sent exactly once");

            // Once every chunk went out it is a plain seeder: a later downloader is told of everything.
            NettyDownload second = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()),
                    dir.resolve("b"),
                    group);
            assertArrayEquals(data, Files.readAllBytes(second.completion().get(30, TimeUnit.SECONDS)));
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
