package dev.kadshare.node.transfers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.Dht;
import dev.kadshare.net.MonotonicClock;
import dev.kadshare.net.Transport;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reader finds while a transfer completes: the content, through the download or the library, never nothing. */
class TransferCompletionTest {
    @TempDir
    Path dir;

    /** What {@link Transfer#streamable} and the state were while the library was being told of the content. */
    private record AtCompletion(Optional<Manifest> readable, TransferState state) {}

    @Test
    void whileTheLibraryTakesTheContentAReaderStillReadsThroughTheDownload() throws Exception {
        Path file = RandomFiles.write(dir.resolve("share/clip.bin"), 700_000, 3);
        Manifest manifest = Manifest.ofFile(file, "clip.bin");
        SharedContent content = new SharedContent(manifest, file);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = Transport.preferred().newGroup(1);
        TransferServer server = null;
        Dht dht = null;
        try {
            server = TransferServer.start(new InetSocketAddress(loopback, 0),
                    id -> id.equals(manifest.contentId()) ? Optional.of(content) : Optional.empty(), group);
            dht = NodeTestSupport.loopbackDht(4, group);
            AtomicReference<Transfer> transfer = new AtomicReference<>();
            AtomicReference<AtCompletion> seen = new AtomicReference<>();
            Transfer.Listener listener = new QuietTransferListener() {
                @Override
                public void completed(Manifest m, Path at) {
                    Transfer t = transfer.get();
                    seen.set(new AtCompletion(t.streamable().flatMap(d -> d.progress().manifest()), t.state()));
                }
            };
            MagnetLink link = new MagnetLink(manifest.contentId(), Optional.of("clip.bin"), OptionalLong.empty(),
                    List.of(server.localAddress()));
            transfer.set(new Transfer(link, dir.resolve("out"), new TransferContext(dht, group, DownloadOptions.defaults(),
                    listener, MonotonicClock.INSTANCE, peer -> false, LinkSecurity.ephemeral(),
                    CompletableFuture.completedFuture(0))));
            transfer.get().start();
            Path got = transfer.get().done().get(30, TimeUnit.SECONDS);

            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(got));
            assertEquals(new AtCompletion(Optional.of(manifest), TransferState.DOWNLOADING), seen.get(),
                    "before the transfer is COMPLETE, the download that completed it is still there to read through");
            assertTrue(transfer.get().streamable().isEmpty(), "once COMPLETE, the library has it");
            assertEquals(TransferState.COMPLETE, transfer.get().state());
        } finally {
            if (dht != null) {
                dht.close();
            }
            if (server != null) {
                server.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
