package dev.kadshare.node.transfers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.MonotonicClock;
import dev.kadshare.node.LoopbackDhts;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download asked for before its node joined the network (one resumed at start, a get right after it): its lookup
 * finds no one, which is no setback; it looks again as soon as the join is over, not after a retry's wait.
 */
class TransferBeforeJoinTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void aLookupBeforeTheJoinWaitsForItAndThenFindsTheSharer() throws Exception {
        Path file = RandomFiles.write(dir.resolve("share/clip.bin"), 300_000, 8);
        Manifest manifest = Manifest.ofFile(file, "clip.bin");
        SharedContent content = new SharedContent(manifest, file);
        try (LoopbackDhts dhts = new LoopbackDhts();
             TransferServer server = TransferServer.start(new InetSocketAddress(LOOPBACK, 0),
                     id -> id.equals(manifest.contentId()) ? Optional.of(content) : Optional.empty(), dhts.group())) {
            Dht seed = dhts.open(11);
            Dht sharer = dhts.open(12);
            Dht getter = dhts.open(13);
            sharer.bootstrap(List.of(seed.localAddress())).get(10, TimeUnit.SECONDS);
            NodeId key = NodeId.of(manifest.contentId().bytes());
            assertTrue(sharer.announce(key, server.localAddress().getPort()).get(10, TimeUnit.SECONDS) >= 1,
                    "the seed holds the sharer's announcement");

            CompletableFuture<Integer> joined = new CompletableFuture<>();
            MagnetLink link = new MagnetLink(manifest.contentId(), Optional.of("clip.bin"), OptionalLong.empty(),
                    List.of()); // no peer hints: only the DHT can name the sharer
            Transfer transfer = new Transfer(link, dir.resolve("out"), new TransferContext(getter, dhts.group(),
                    DownloadOptions.defaults(), new QuietTransferListener(), MonotonicClock.INSTANCE, peer -> false,
                    LinkSecurity.ephemeral(), joined));
            transfer.start();
            // The getter knows no one yet: its first lookup asks no one, and the transfer says it waits for the join
            // (before, that was a setback: "no peers found yet; next lookup in 1 s").
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Transfer.AWAITING_JOIN.equals(transfer.status(0).reason()));

            joined.complete(getter.bootstrap(List.of(seed.localAddress())).get(10, TimeUnit.SECONDS));
            Path got = transfer.done().get(30, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(got));
        }
    }
}
