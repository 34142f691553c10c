package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.Manifest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download whose sidecar is kept after the move ({@link AfterMove#KEEP_SIDECAR}) is known as complete, its content
 * the download's own, whenever a kill stops it between the move and the caller's record of it: nothing needs a peer.
 */
class KilledAfterTheMoveTest {
    @TempDir
    Path dir;

    private byte[] data;
    private Manifest manifest;

    /** A file of three chunks and a half, shared as x.bin. */
    private Path share() throws Exception {
        data = new byte[3 * 4096 + 2048];
        new Random(7).nextBytes(data);
        Path src = Files.write(Files.createDirectories(dir.resolve("src")).resolve("file"), data);
        manifest = Manifest.ofFile(src, "x.bin", 4096);
        return Files.createDirectories(dir.resolve("out"));
    }

    /** Opens the store of {@code content} in {@code out} and stores every chunk of {@code bytes}. */
    private static ChunkStore stored(Manifest content, byte[] bytes, Path out) throws Exception {
        ChunkStore store = ChunkStore.open(content, out);
        for (int i = 0; i < content.chunkCount(); i++) {
            int from = (int) content.chunkOffset(i);
            int to = from + content.chunkLength(i);
            StoreChunks.write(store, i, ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, to)));
        }
        return store;
    }

    @Test
    void aKillAfterTheMoveFindsTheContentAsTheDownloadsOwnUntilSettled() throws Exception {
        Path out = share();
        Path placed = stored(manifest, data, out).finish(AfterMove.KEEP_SIDECAR);
        assertEquals(out.resolve("x.bin"), placed);
        assertEquals(List.of("." + manifest.contentId().toHex() + ".kadshare-state", "x.bin"), namesIn(out),
                "the part's name is gone, the sidecar stays");

        // Restarted from here, the sidecar alone says where the content went: no manifest from a peer is needed.
        assertEquals(Optional.of(new MovedContent(manifest, placed)), movedIn(out));
        assertArrayEquals(data, Files.readAllBytes(placed));

        ChunkStore.settle(manifest.contentId(), out);
        assertEquals(List.of("x.bin"), namesIn(out), "settled: the caller's record says it now");
        assertTrue(movedIn(out).isEmpty());
    }

    /**
     * A node's writer settles a kept sidecar whenever the COMPLETE entry lands, so a removal reading it at that moment
     * sees it vanish under it: between the check that it is there and its opening, or its reading and its opening
     * for the stop byte. Such a sidecar is none, never an error (a `remove --delete-data` right after a download
     * failed on it). Each round races the two, 200 rounds at most.
     */
    @Test
    void aSidecarSettledWhileADiscardReadsItIsNone() throws Exception {
        Path out = share();
        ExecutorService settler = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 200; round++) {
                Path placed = stored(manifest, data, out).finish(AfterMove.KEEP_SIDECAR);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> settled = settler.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    ChunkStore.settle(manifest.contentId(), out);
                    return null;
                });
                start.await(5, TimeUnit.SECONDS);
                ChunkStore.discard(manifest.contentId(), out);
                settled.get(5, TimeUnit.SECONDS);
                assertEquals(List.of("x.bin"), namesIn(out));
                Files.delete(placed);
            }
        } finally {
            settler.shutdownNow();
        }
    }

    /**
     * Another content of the same name and length, downloaded into the same directory after this one was moved into
     * place and before its sidecar was settled: its part takes the name the move left free.
     */
    private ChunkStore anotherOfTheSameNameAtTheFreedPart(Path out) throws Exception {
        byte[] other = new byte[data.length];
        new Random(8).nextBytes(other);
        Path src = Files.write(Files.createDirectories(dir.resolve("src2")).resolve("file"), other);
        Manifest theirs = Manifest.ofFile(src, "x.bin", 4096);
        ChunkStore store = ChunkStore.open(theirs, out);
        assertEquals(out.resolve(".x.bin.kadshare-part"), store.partFile(), "the name the move left free");
        StoreChunks.write(store, 0, ByteBuffer.wrap(Arrays.copyOfRange(other, 0, theirs.chunkLength(0))));
        store.close();
        return store;
    }

    @Test
    void discardingAMovedDownloadLeavesAnotherContentsPartAtTheNameItLeftFree() throws Exception {
        Path out = share();
        Path placed = stored(manifest, data, out).finish(AfterMove.KEEP_SIDECAR);
        ChunkStore theirs = anotherOfTheSameNameAtTheFreedPart(out);
        ChunkStore.discard(manifest.contentId(), out);
        assertFalse(Files.exists(ResumeState.pathFor(manifest.contentId(), out)), "the sidecar goes");
        assertTrue(Files.exists(theirs.partFile()), "the other download's part is not this one's to delete");
        assertArrayEquals(data, Files.readAllBytes(placed));
        try (ChunkStore resumed = ChunkStore.resume(theirs.manifest().contentId(), out).orElseThrow()) {
            assertEquals(1, resumed.verifiedCount(), "the other download's progress is still there");
        }
    }

    @Test
    void aKillBeforeTheSettleFindsTheContentMovedWhateverPartTookTheNameItLeftFree() throws Exception {
        Path out = share();
        Path placed = stored(manifest, data, out).finish(AfterMove.KEEP_SIDECAR);
        ChunkStore theirs = anotherOfTheSameNameAtTheFreedPart(out);
        assertEquals(Optional.of(new MovedContent(manifest, placed)), movedIn(out));
        assertTrue(Files.exists(theirs.partFile()), "not a second name of the content: left as it is");
        assertTrue(ChunkStore.resume(manifest.contentId(), out).isEmpty(),
                "never resumed onto the other download's part: two downloads would write one file");
        try (ChunkStore resumed = ChunkStore.resume(theirs.manifest().contentId(), out).orElseThrow()) {
            assertEquals(1, resumed.verifiedCount());
        }
    }

    @Test
    void aKillBetweenTheRecordAndTheUnlinkLeavesNoSecondName() throws Exception {
        Path out = share();
        ChunkStore store = stored(manifest, data, out);
        Path part = store.partFile();
        Path placed = store.finish(AfterMove.KEEP_SIDECAR);
        // As it was after the sidecar named the final name and before the part's own name went.
        Files.createLink(part, placed);
        assertEquals(Optional.of(new MovedContent(manifest, placed)), movedIn(out));
        assertFalse(Files.exists(part), "the second name goes: no later download writes through it into the file");
        assertArrayEquals(data, Files.readAllBytes(placed));
    }

    @Test
    void aKillBeforeTheRecordResumesThePartAndMovesItAgain() throws Exception {
        Path out = share();
        ChunkStore store = stored(manifest, data, out);
        Path part = store.partFile();
        Path sidecar = ResumeState.pathFor(manifest.contentId(), out);
        byte[] before = Files.readAllBytes(sidecar);
        Path placed = store.finish(AfterMove.KEEP_SIDECAR);
        // As it was after the hard link to the final name and before the sidecar named it.
        Files.createLink(part, placed);
        Files.write(sidecar, before);
        assertTrue(movedIn(out).isEmpty(), "not moved as far as it says");
        try (ChunkStore resumed = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertTrue(resumed.isComplete());
            resumed.recheck();
            assertEquals(placed, resumed.finish(AfterMove.KEEP_SIDECAR), "the name it took is its own");
        }
        assertEquals(Optional.of(new MovedContent(manifest, placed)), movedIn(out));
        assertFalse(Files.exists(part));
    }

    @Test
    void aDirectoryRenamedIntoPlaceIsFoundAsTheDownloadsOwn() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/Album"));
        byte[] a = new byte[5000];
        new Random(3).nextBytes(a);
        Files.write(src.resolve("a.bin"), a);
        Files.write(Files.createDirectories(src.resolve("disc 2")).resolve("b.bin"), new byte[3000]);
        Manifest album = Manifest.ofDirectory(src, "Album", 4096);
        byte[] bytes = new byte[8000];
        System.arraycopy(a, 0, bytes, 0, a.length);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path placed = stored(album, bytes, out).finish(AfterMove.KEEP_SIDECAR);
        assertEquals(out.resolve("Album"), placed);
        assertEquals(Optional.of(new MovedContent(album, placed)), ChunkStore.movedIntoPlace(album.contentId(), out));
        assertArrayEquals(a, Files.readAllBytes(placed.resolve("a.bin")));
    }

    @Test
    void aKillBeforeTheRenameResumesThePartialDirectory() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/Album"));
        Files.write(src.resolve("a.bin"), new byte[5000]);
        Manifest album = Manifest.ofDirectory(src, "Album", 4096);
        Path out = Files.createDirectories(dir.resolve("out"));
        ChunkStore store = stored(album, new byte[5000], out);
        Path part = store.partFile();
        Path placed = store.finish(AfterMove.KEEP_SIDECAR);
        // As it was after the sidecar named the reserved name and before the rename over it.
        Files.move(placed, part, StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectory(placed);
        assertTrue(ChunkStore.movedIntoPlace(album.contentId(), out).isEmpty(), "the part is still the download");
        try (ChunkStore resumed = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(part, resumed.partFile());
            assertTrue(resumed.isComplete());
        }
    }

    @Test
    void contentEditedSinceTheMoveIsNotTakenAsTheDownloads() throws Exception {
        Path out = share();
        Path placed = stored(manifest, data, out).finish(AfterMove.KEEP_SIDECAR);
        byte[] edited = data.clone();
        edited[0] ^= 1;
        Files.write(placed, edited);
        Files.setLastModifiedTime(placed, FileTime.fromMillis(Files.getLastModifiedTime(placed).toMillis() + 5_000));
        assertTrue(movedIn(out).isEmpty(), "the user's work now");
        assertArrayEquals(edited, Files.readAllBytes(placed));
        assertTrue(Files.exists(ResumeState.pathFor(manifest.contentId(), out)), "nothing changed");
    }

    @Test
    void aSidecarNamingAnotherFileNamesNothing() throws Exception {
        Path out = share();
        Path placed = stored(manifest, data, out).finish(AfterMove.KEEP_SIDECAR);
        // The same content under a name the move could not have taken: the sidecar is rewritten to name it.
        Path elsewhere = Files.copy(placed, out.resolve("y.bin"), StandardCopyOption.COPY_ATTRIBUTES);
        Path sidecar = ResumeState.pathFor(manifest.contentId(), out);
        byte[] bytes = Files.readAllBytes(sidecar);
        int finalNameAt = 8 + (((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff));
        assertEquals("x.bin", new String(bytes, finalNameAt + 2, 5));
        System.arraycopy("y.bin".getBytes(), 0, bytes, finalNameAt + 2, 5);
        Files.write(sidecar, bytes);
        assertTrue(movedIn(out).isEmpty());
        assertTrue(Files.exists(elsewhere));
    }

    @Test
    void settlingLeavesTheSidecarOfADownloadNotMovedYet() throws Exception {
        Path out = share();
        stored(manifest, data, out).close();
        ChunkStore.settle(manifest.contentId(), out);
        try (ChunkStore resumed = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(manifest.chunkCount(), resumed.verifiedCount(), "its progress is still there");
        }
    }

    @Test
    void theSidecarGoesWithTheMoveUnlessKept() throws Exception {
        Path out = share();
        assertEquals(out.resolve("x.bin"), stored(manifest, data, out).finish());
        assertEquals(List.of("x.bin"), namesIn(out));
    }

    /** What the sidecar of the shared file in {@code out} says was moved into place. */
    private Optional<MovedContent> movedIn(Path out) throws Exception {
        return ChunkStore.movedIntoPlace(manifest.contentId(), out);
    }

    private static List<String> namesIn(Path out) throws Exception {
        try (Stream<Path> all = Files.list(out)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
