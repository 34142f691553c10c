package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed after its download moved the content into place but before the transfer's COMPLETE entry reached
 * the data dir: restarted with no peer left, it finds the download complete, its file the download's own.
 */
class KilledAfterTheMoveTest {
    @TempDir
    Path dir;

    @Test
    void aDownloadMovedIntoPlaceButNotRecordedCompletesAtRestartWithoutAnyPeer() throws Exception {
        Path original = RandomFiles.write(dir.resolve("files/x.bin"), 2 * 1024 * 1024 + 3, 14);
        Path out = dir.resolve("out");
        Path placed = out.resolve("x.bin");
        DataDir data = new DataDir(dir.resolve("downloader"));
        String id;
        Path record;
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            MagnetLink link = MagnetLink.parse(seed.share(original).get(30, TimeUnit.SECONDS).link());
            id = link.contentId().toHex();
            // The downloader was asked for it before: its entry says so, as the catalog writes it.
            record = Files.createDirectories(data.transfers()).resolve(id + ".json");
            Files.writeString(record, "{\"link\":\"" + link.format() + "\",\"outDir\":\"" + out
                    + "\",\"state\":\"DOWNLOADING\"}");
            // The entry is written through ".ID.json.tmp": a directory there makes every later write of it fail, as
            // a kill before it would leave it. Nothing else of the node's is held back.
            Path blocked = Files.createDirectories(data.transfers().resolve("." + id + ".json.tmp"));
            try (Node downloader = NodeTestSupport.loopbackNode(data.root(), List.of(seed.address()))) {
                await().atMost(Duration.ofSeconds(60)).until(
                        () -> downloader.transfer(id).orElseThrow().state() == TransferState.COMPLETE);
                assertEquals(placed.toString(), downloader.transfer(id).orElseThrow().path());
            }
            assertTrue(Files.readString(record).contains("\"DOWNLOADING\""), "the completion never reached the disk");
            Files.delete(blocked);
        }
        // The seed is gone: no peer can send the manifest again.
        try (Node downloader = NodeTestSupport.loopbackNode(data.root(), List.of())) {
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> downloader.transfer(id).orElseThrow().state() == TransferState.COMPLETE);
            TransferStatus restored = downloader.transfer(id).orElseThrow();
            assertEquals(placed.toString(), restored.path(), "the file it moved there");
            assertNull(restored.error());
            assertTrue(restored.chunksTotal() > 0, "the sidecar's manifest counts its chunks");
            assertEquals(List.of(restored.chunksTotal(), Files.size(original)),
                    List.of(restored.chunksVerified(), restored.bytesDownloaded()), "all of them there");
            // Once the COMPLETE entry is on disk, the sidecar that stood in for it goes.
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> Files.readString(record).contains("\"COMPLETE\"") && hiddenIn(out).isEmpty());
        }
        try (Node downloader = NodeTestSupport.loopbackNode(data.root(), List.of())) {
            assertEquals(TransferState.COMPLETE, downloader.transfer(id).orElseThrow().state());
            Removal removal = downloader.remove(id, true).orElseThrow();
            assertTrue(removal.dataDeleted());
            assertNull(removal.originalKept(), "the download's own file, not one it found in place");
            assertFalse(Files.exists(placed), "--delete-data deletes what the download wrote");
        }
    }

    /**
     * A transfer removed (its data kept) while its COMPLETE entry waits for a disk that refuses it: the delete replaces
     * that write, so nothing settles the sidecar kept after the move but the removal itself.
     */
    @Test
    void aTransferRemovedBeforeItsCompletionIsRecordedLeavesNoSidecarBehind() throws Exception {
        Path original = RandomFiles.write(dir.resolve("files/x.bin"), 300_000, 15);
        Path out = dir.resolve("out");
        DataDir data = new DataDir(dir.resolve("downloader"));
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            MagnetLink link = MagnetLink.parse(seed.share(original).get(30, TimeUnit.SECONDS).link());
            String id = link.contentId().toHex();
            // Every write of its entry fails, as on a data dir's disk refusing writes (see above).
            Files.createDirectories(data.transfers().resolve("." + id + ".json.tmp"));
            try (Node downloader = NodeTestSupport.loopbackNode(data.root(), List.of(seed.address()))) {
                Path placed = downloader.get(link, out).done().get(60, TimeUnit.SECONDS);
                assertEquals(List.of("." + id + ".kadshare-state"), hiddenIn(out), "it stands in for the entry");
                assertFalse(downloader.remove(id, false).orElseThrow().dataDeleted());
                await().atMost(Duration.ofSeconds(20)).until(() -> hiddenIn(out).isEmpty());
                assertTrue(Files.exists(placed), "the data stays");
            }
        }
    }

    /** The hidden files in {@code out}: partial files and sidecars. */
    private static List<String> hiddenIn(Path out) throws Exception {
        try (Stream<Path> all = Files.list(out)) {
            return all.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(".")).sorted().toList();
        }
    }
}
