package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.peers.PeerBans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharer whose file the user edited after sharing it does not serve it: the getter that asks gets a goodbye, not
 * chunks that fail their hash, so it bans nobody and waits for other peers; after a restart the edited share is not
 * served at all.
 */
class EditedShareTest {
    private static final int SIZE = 4 * 1024 * 1024 + 5;

    @TempDir
    Path dir;

    @Test
    void anEditedShareIsNotServedNowNorAfterARestart() throws Exception {
        Path file = RandomFiles.write(dir.resolve("b/film.bin"), SIZE, 51);
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()));
                 Node getter = NodeTestSupport.loopbackNode(dir.resolve("getter"), List.of(seed.address()))) {
                sharer.bootstrapped().get(10, TimeUnit.SECONDS);
                getter.bootstrapped().get(10, TimeUnit.SECONDS);
                MagnetLink link = MagnetLink.parse(sharer.share(file).get(30, TimeUnit.SECONDS).link());
                String id = link.contentId().toHex();
                edit(file);

                getter.get(link, dir.resolve("out"));
                // Its only peer said goodbye: the download waits to look again, for a reason it shows.
                await().atMost(Duration.ofSeconds(30)).until(() -> getter.transfer(id).orElseThrow().reason() != null
                        || getter.transfer(id).orElseThrow().error() != null);
                TransferStatus waiting = getter.transfer(id).orElseThrow();
                assertEquals(null, waiting.error(), waiting.toString());
                assertEquals(0, waiting.chunksVerified());
                assertEquals(0, waiting.peers().stream().mapToInt(PeerStatus::badChunks).sum(), waiting.toString());
                assertEquals(new PeerBans.Counts(0, 0, 0), getter.status().bans(), "nobody banned");
                assertEquals(0, sharer.status().shares().get(0).bytesUploaded(), "nothing of the edited file went out");
            }
            try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()))) {
                assertEquals(List.of(), sharer.status().shares(), "not served after a restart either");
            }
        }
    }

    /** The user writes other bytes of the same length, at a later time. */
    private static void edit(Path file) throws Exception {
        FileTime before = Files.getLastModifiedTime(file);
        RandomFiles.write(file, SIZE, 52);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5_000));
    }
}
