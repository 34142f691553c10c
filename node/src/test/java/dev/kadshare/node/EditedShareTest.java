package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.node.events.EventLog;
import dev.kadshare.node.events.NodeEvent;
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
 * chunks that fail their hash, so it bans nobody and waits for other peers, and the sharer stops sharing it; a file
 * edited while the node was down is not served after its restart.
 */
class EditedShareTest {
    private static final int SIZE = 4 * 1024 * 1024 + 5;

    @TempDir
    Path dir;

    @Test
    void anEditedShareIsRefusedAndNoLongerShared() throws Exception {
        Path file = RandomFiles.write(dir.resolve("b/film.bin"), SIZE, 51);
        try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of());
             Node getter = NodeTestSupport.loopbackNode(dir.resolve("getter"), List.of(sharer.address()))) {
            getter.bootstrapped().get(10, TimeUnit.SECONDS); // the getter finds the sharer through the DHT
            MagnetLink link = MagnetLink.parse(sharer.share(file).get(30, TimeUnit.SECONDS).link());
            String id = link.contentId().toHex();
            long seen = sharer.events().log().latest();
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
            // The sharer stopped sharing it: gone from its status and its library, and its event stream says so.
            await().atMost(Duration.ofSeconds(10)).until(() -> sharer.status().shares().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> sharer.events().log().after(seen) instanceof EventLog.Read.Events e
                    && e.entries().stream().anyMatch(x -> x.event().equals(new NodeEvent.ShareRemoved(id))));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(dir.resolve("sharer/library/" + id + ".json")));
        }
    }

    @Test
    void aShareEditedWhileTheNodeWasDownIsNotServedAfterItsRestart() throws Exception {
        Path file = RandomFiles.write(dir.resolve("b/film.bin"), SIZE, 53);
        String id;
        try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of())) {
            id = sharer.share(file).get(30, TimeUnit.SECONDS).contentId();
        }
        edit(file);
        try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of())) {
            assertEquals(List.of(), sharer.status().shares());
            // Dropped from the library too: not warned about again at every start.
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(dir.resolve("sharer/library/" + id + ".json")));
        }
    }

    /** The user writes other bytes of the same length, at a later time. */
    private static void edit(Path file) throws Exception {
        FileTime before = Files.getLastModifiedTime(file);
        RandomFiles.write(file, SIZE, 52);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5_000));
    }
}
