package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A is the bootstrap, B shares, C knows only A, finds B through the DHT and downloads. */
class ThreeNodeShareTest {
    @TempDir
    Path dir;

    @Test
    void cFindsBThroughTheDhtAndDownloadsIdenticalBytes() throws Exception {
        int size = 5 * 1024 * 1024 + 12_345; // a few MiB with an odd last chunk
        Path original = RandomFiles.write(dir.resolve("share/random.bin"), size, 42);
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()));
             Node c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            c.bootstrapped().get(10, TimeUnit.SECONDS);

            ShareResult shared = b.share(original).get(30, TimeUnit.SECONDS);
            assertEquals(size, shared.size());
            MagnetLink link = MagnetLink.parse(shared.link());
            assertTrue(link.peerHints().isEmpty(), "C must find B through the DHT, not a hint");

            Path out = dir.resolve("c-out");
            Files.createDirectories(out);
            Transfer transfer = c.get(link, out);
            Path got = transfer.done().get(60, TimeUnit.SECONDS);

            assertEquals(out.resolve("random.bin"), got);
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(got));
            TransferStatus status = c.statusOf(transfer);
            assertEquals(TransferState.COMPLETE, status.state());
            assertEquals(status.chunksTotal(), status.chunksVerified());
            assertTrue(status.peers().stream().anyMatch(p -> p.bytesDownloaded() > 0
                    && p.address().endsWith(":" + b.port())), "bytes came from B: " + status.peers());

            // B's hub publishes its counts once its loop has handled the events at hand: wait for them.
            await().atMost(Duration.ofSeconds(10)).until(() -> b.status().shares().get(0).bytesUploaded() >= size);
            assertEquals(size, b.status().shares().get(0).bytesUploaded(), "B counts what it served");
            // and its share's upload rate covers the last 5 s, sampled every second: it shows the upload just done
            await().atMost(Duration.ofSeconds(10)).until(() -> b.status().shares().get(0).uploadRate() > 0);
            // Once complete, C seeds: it is listed as a share and announced.
            await().atMost(Duration.ofSeconds(10)).until(() -> c.status().shares().stream()
                    .anyMatch(s -> s.contentId().equals(shared.contentId())));
        }
    }
}
