package dev.kadshare.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.swarm.ChunkOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted node loses nothing: it serves what it shared and resumes what it was asked to download. */
class NodeRestartTest {
    @TempDir
    Path dir;

    @Test
    void restartKeepsSharesAndResumesDownloads() throws Exception {
        Path original = RandomFiles.write(dir.resolve("files/x.bin"), 2 * 1024 * 1024 + 3, 9);
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            MagnetLink link;
            try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()))) {
                sharer.bootstrapped().get(10, TimeUnit.SECONDS);
                link = MagnetLink.parse(sharer.share(original).get(30, TimeUnit.SECONDS).link());
            }
            String id = link.contentId().toHex();
            Path out = dir.resolve("out");
            TransferStatus complete;
            // The downloader asks while nobody serves the content, then restarts: the request must survive.
            try (Node downloader = NodeTestSupport.loopbackNode(dir.resolve("downloader"), List.of(seed.address()))) {
                downloader.bootstrapped().get(10, TimeUnit.SECONDS);
                downloader.get(link, out);
                // The sharer's announcement outlives it in the DHT, so the download may be dialling its dead
                // address (DOWNLOADING) rather than still looking (SEARCHING); either way nothing can arrive.
                TransferStatus waiting = downloader.transfer(id).orElseThrow();
                assertTrue(waiting.state() == TransferState.SEARCHING || waiting.state() == TransferState.DOWNLOADING,
                        waiting.state().toString());
                assertEquals(0, waiting.chunksVerified());
            }
            try (Node sharer = NodeTestSupport.loopbackNode(dir.resolve("sharer"), List.of(seed.address()));
                 Node downloader = NodeTestSupport.loopbackNode(dir.resolve("downloader"), List.of(seed.address()))) {
                assertEquals(1, sharer.status().shares().size(), "the share survives the restart");
                await().atMost(Duration.ofSeconds(60)).until(
                        () -> downloader.transfer(id).orElseThrow().state() == TransferState.COMPLETE);
                assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(out.resolve("x.bin")));
                complete = downloader.transfer(id).orElseThrow();
            }
            try (Node downloader = NodeTestSupport.loopbackNode(dir.resolve("downloader"), List.of(seed.address()))) {
                TransferStatus restored = downloader.transfer(id).orElseThrow();
                assertEquals(TransferState.COMPLETE, restored.state(),
                        "a finished transfer is still listed after a restart");
                assertEquals(List.of(complete.chunksTotal(), complete.chunksTotal(), Files.size(original)),
                        List.of(restored.chunksVerified(), restored.chunksTotal(), restored.bytesDownloaded()),
                        "with every chunk and byte of it, as before the restart");
                assertTrue(downloader.status().shares().stream().anyMatch(s -> s.contentId().equals(id)), "and seeded");
            }
        }
    }

    @Test
    void pauseSurvivesRestartAndRemoveForgets() throws Exception {
        Path original = RandomFiles.write(dir.resolve("files/y.bin"), 1024 * 1024, 10);
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            MagnetLink link = MagnetLink.parse(seed.share(original).get(30, TimeUnit.SECONDS).link());
            String id = link.contentId().toHex();
            Path out = dir.resolve("out");
            try (Node other = NodeTestSupport.loopbackNode(dir.resolve("other"), List.of(seed.address()))) {
                // Paused before any peer is found: nothing must arrive while paused.
                other.get(MagnetLink.parse("magnet:?xt=urn:kadshare:" + "ab".repeat(32) + "&dn=none"), out);
                assertEquals(TransferState.PAUSED, other.pause("ab".repeat(32)).orElseThrow().state());
                assertEquals(new IdMatch.One("ab".repeat(32)), other.resolveId("abab"));
            }
            try (Node other = NodeTestSupport.loopbackNode(dir.resolve("other"), List.of(seed.address()))) {
                assertEquals(TransferState.PAUSED, other.transfer("ab".repeat(32)).orElseThrow().state());
                other.remove("ab".repeat(32), false);
                assertTrue(other.transfer("ab".repeat(32)).isEmpty());
                assertEquals(new IdMatch.None("abab"), other.resolveId("abab"));

                other.get(link, out);
                await().atMost(Duration.ofSeconds(30)).until(
                        () -> other.transfer(id).orElseThrow().state() == TransferState.COMPLETE);
                other.remove(id, true);
                assertTrue(Files.notExists(out.resolve("y.bin")), "--delete-data deletes the file");
                assertTrue(other.status().shares().isEmpty());
            }
            try (Node other = NodeTestSupport.loopbackNode(dir.resolve("other"), List.of(seed.address()))) {
                assertTrue(other.status().transfers().isEmpty(), "removed transfers stay removed");
            }
        }
    }

    @Test
    void theSequentialOrderSurvivesARestart() throws Exception {
        String sequential = "cd".repeat(32);
        String plain = "ef".repeat(32);
        Path out = dir.resolve("out");
        try (Node node = NodeTestSupport.loopbackNode(dir.resolve("node"), List.of())) {
            node.get(MagnetLink.parse("magnet:?xt=urn:kadshare:" + sequential + "&dn=film"), out,
                    ChunkOrder.SEQUENTIAL);
            node.get(MagnetLink.parse("magnet:?xt=urn:kadshare:" + plain + "&dn=other"), out);
            assertEquals("sequential", node.transfer(sequential).orElseThrow().order());
        }
        try (Node node = NodeTestSupport.loopbackNode(dir.resolve("node"), List.of())) {
            assertEquals("sequential", node.transfer(sequential).orElseThrow().order(), "restored in order");
            assertEquals("rarest-first", node.transfer(plain).orElseThrow().order());
        }
    }

    @Test
    void aFailedTransferStaysFailedWithItsReasonUntilResumed() throws Exception {
        Path original = RandomFiles.write(dir.resolve("files/bad.bin"), 1024 * 1024, 12);
        try (Node seed = NodeTestSupport.loopbackNode(dir.resolve("seed"), List.of())) {
            MagnetLink link = MagnetLink.parse(seed.share(original).get(30, TimeUnit.SECONDS).link());
            // What the seed serves no longer matches its manifest, and its stamp does not show it.
            RandomFiles.rewriteUnseen(original, 1024 * 1024, 13);
            String id = link.contentId().toHex();
            String error;
            try (Node other = NodeTestSupport.loopbackNode(dir.resolve("other"), List.of(seed.address()))) {
                other.bootstrapped().get(10, TimeUnit.SECONDS);
                other.get(link, dir.resolve("out"));
                await().atMost(Duration.ofSeconds(30)).until(
                        () -> other.transfer(id).orElseThrow().state() == TransferState.FAILED);
                error = other.transfer(id).orElseThrow().error();
                assertTrue(error.startsWith("every peer sent bad data"), error);
            }
            try (Node other = NodeTestSupport.loopbackNode(dir.resolve("other"), List.of(seed.address()))) {
                TransferStatus restored = other.transfer(id).orElseThrow();
                assertEquals(TransferState.FAILED, restored.state(), "not searching again behind the user's back");
                assertEquals(error, restored.error());
                // Started over: looking for peers, or (the seed answering at once) already fetching from it.
                TransferStatus resumed = other.resume(id).orElseThrow();
                assertTrue(resumed.state() == TransferState.SEARCHING || resumed.state() == TransferState.DOWNLOADING,
                        resumed.state().toString());
                assertNull(resumed.error());
            }
        }
    }

    @Test
    void aDamagedTransferRecordIsSkippedAndTheNodeStillStarts() throws Exception {
        Path records = Files.createDirectories(dir.resolve("node/transfers"));
        String link = "magnet:?xt=urn:kadshare:";
        // Each parses as JSON but misses a field (or holds a path no file system has): each used to throw out of
        // Node.start, so the daemon would not start at all until someone found and deleted the file.
        Files.writeString(records.resolve("a.json"), "{\"link\":\"" + link + "aa".repeat(32) + "\",\"state\":\"PAUSED\"}");
        Files.writeString(records.resolve("b.json"), "{\"link\":\"" + link + "bb".repeat(32) + "\",\"outDir\":\""
                + dir.resolve("out") + "\"}");
        Files.writeString(records.resolve("c.json"), "{\"link\":\"" + link + "cc".repeat(32) + "\",\"outDir\":\""
                + dir.resolve("out") + "\",\"state\":\"COMPLETE\"}");
        Files.writeString(records.resolve("d.json"), "{\"link\":\"" + link + "dd".repeat(32) + "\",\"outDir\":\"a\\u0000b\","
                + "\"state\":\"PAUSED\"}");
        Files.writeString(records.resolve("e.json"), "{\"link\":\"" + link + "ee".repeat(32) + "\",\"outDir\":\""
                + dir.resolve("out") + "\",\"state\":\"PAUSED\"}");
        Files.writeString(records.resolve("f.json"), "null"); // JSON too, but no record at all
        Files.createDirectories(dir.resolve("node/library"));
        Files.writeString(dir.resolve("node/library/f.json"), "null");
        try (Node node = NodeTestSupport.loopbackNode(dir.resolve("node"), List.of())) {
            assertEquals(List.of("ee".repeat(32)), node.status().transfers().stream().map(TransferStatus::contentId).toList());
        }
    }
}
