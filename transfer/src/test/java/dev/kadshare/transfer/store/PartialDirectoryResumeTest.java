package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partial directory some of whose files the user deleted, cut or replaced while the download was stopped: only
 * those files' chunks are fetched again, every other verified chunk is kept, and nothing of a changed file is trusted.
 */
class PartialDirectoryResumeTest {
    private static final int CHUNK = 4096;
    /**
     * Album: a.bin [0, 8292), b.bin [8292, 20580), sub/c.bin [20580, 24726); seven chunks, 2 across a and b, 5 across
     * b and c, 6 the short last one.
     */
    private static final BitSet OF_B = chunks(2, 3, 4, 5);
    private static final BitSet OF_C = chunks(5, 6);

    @TempDir
    Path dir;

    private Path src;
    private Manifest album;
    private Path out;

    @BeforeEach
    void share() throws Exception {
        src = dir.resolve("src/Album");
        RandomFiles.write(src.resolve("a.bin"), 2 * CHUNK + 100, 1);
        RandomFiles.write(src.resolve("b.bin"), 3 * CHUNK, 2);
        RandomFiles.write(src.resolve("sub/c.bin"), CHUNK + 50, 3);
        album = Manifest.ofDirectory(src, "Album", CHUNK);
        assertEquals(List.of(new ContentFile("a.bin", 2 * CHUNK + 100), new ContentFile("b.bin", 3 * CHUNK),
                new ContentFile("sub/c.bin", CHUNK + 50)), album.files());
        assertEquals(7, album.chunkCount());
        out = dir.resolve("out");
    }

    private static BitSet chunks(int... indices) {
        BitSet set = new BitSet();
        for (int i : indices) {
            set.set(i);
        }
        return set;
    }

    private static BitSet allBut(BitSet dropped) {
        BitSet kept = new BitSet();
        kept.set(0, 7);
        kept.andNot(dropped);
        return kept;
    }

    /** The album's bytes, as one stream. */
    private byte[] bytes() throws Exception {
        byte[] a = Files.readAllBytes(src.resolve("a.bin"));
        byte[] b = Files.readAllBytes(src.resolve("b.bin"));
        byte[] c = Files.readAllBytes(src.resolve("sub/c.bin"));
        ByteBuffer all = ByteBuffer.allocate(a.length + b.length + c.length).put(a).put(b).put(c);
        return all.array();
    }

    private ByteBuffer chunk(int i) throws Exception {
        return ByteBuffer.wrap(bytes(), (int) album.chunkOffset(i), album.chunkLength(i)).slice();
    }

    /** A download of every chunk of the album, stopped before it was moved into place; its partial directory. */
    private Path downloadedAll(boolean closedCleanly) throws Exception {
        ChunkStore store = ChunkStore.open(album, out);
        for (int i = 0; i < album.chunkCount(); i++) {
            assertEquals(WriteResult.STORED, StoreChunks.write(store, i, chunk(i)));
        }
        if (closedCleanly) {
            store.close();
        } // else the process died here
        return store.partFile();
    }

    /**
     * Puts another file of the same length in {@code file}'s place, modified later (within the same tick of the file
     * system's clock, the two would have the same stamp: the user's hand is seconds behind a download's last write).
     */
    private void replace(Path file) throws Exception {
        FileTime written = Files.getLastModifiedTime(file);
        Path other = RandomFiles.write(dir.resolve("other.bin"), Files.size(file), 99);
        Files.setLastModifiedTime(other, FileTime.fromMillis(written.toMillis() + 5_000));
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Fetches what the store lacks, as a download would; returns the chunks fetched. */
    private BitSet fetchMissing(ChunkStore store) throws Exception {
        BitSet fetched = new BitSet();
        for (int i = 0; i < album.chunkCount(); i++) {
            if (!store.isVerified(i)) {
                assertEquals(WriteResult.STORED, StoreChunks.write(store, i, chunk(i)));
                fetched.set(i);
            }
        }
        return fetched;
    }

    /** Checks the marks a resumed store holds after the recheck, as the download has it done. */
    private static void rechecked(ChunkStore store) throws Exception {
        if (store.lastStop() == LastStop.UNCLEAN) {
            store.recheck();
        }
    }

    private void assertSameAlbum(Path placed) throws Exception {
        assertEquals(out.resolve("Album"), placed);
        for (String file : List.of("a.bin", "b.bin", "sub/c.bin")) {
            assertArrayEquals(Files.readAllBytes(src.resolve(file)), Files.readAllBytes(placed.resolve(file)), file);
        }
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(placed), left.toList(), "no partial file or sidecar left behind");
        }
    }

    @Test
    void aFileDeletedFromAPartialDirectoryCostsOnlyItsOwnChunks() throws Exception {
        Path part = downloadedAll(true);
        Files.delete(part.resolve("b.bin"));
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(part, store.partFile(), "the same partial directory, not a fresh one beside it");
            rechecked(store);
            assertEquals(allBut(OF_B), store.verified(), "a.bin's and c.bin's chunks kept");
            assertEquals(OF_B, fetchMissing(store), "only the chunks holding bytes of b.bin fetched again");
            assertSameAlbum(store.finish());
        }
    }

    @Test
    void aSubdirectoryDeletedAfterACrashCostsOnlyItsFilesChunks() throws Exception {
        Path part = downloadedAll(false);
        Files.delete(part.resolve("sub/c.bin"));
        Files.delete(part.resolve("sub"));
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.UNCLEAN, store.lastStop());
            assertEquals(new Recheck(5, 0), store.recheck(), "the marks of the files still there, hashed again");
            assertEquals(allBut(OF_C), store.verified());
            assertEquals(OF_C, fetchMissing(store));
            assertSameAlbum(store.finish());
        }
    }

    @Test
    void aFileCutShortCostsOnlyItsOwnChunks() throws Exception {
        Path part = downloadedAll(true);
        try (FileChannel b = FileChannel.open(part.resolve("b.bin"), StandardOpenOption.WRITE)) {
            b.truncate(100); // its first 100 bytes still right: chunk 2 still is not to be trusted
        }
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(part, store.partFile());
            assertEquals(3 * CHUNK, Files.size(part.resolve("b.bin")), "made again at its length");
            rechecked(store);
            assertEquals(allBut(OF_B), store.verified());
            assertEquals(OF_B, fetchMissing(store));
            assertSameAlbum(store.finish());
        }
    }

    @Test
    void aFileReplacedByAnotherOfTheSameLengthHasItsChunksDroppedAndTheOthersKept() throws Exception {
        Path part = downloadedAll(true);
        replace(part.resolve("b.bin"));
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.UNCLEAN, store.lastStop(), "the part changed since its clean close");
            assertEquals(new Recheck(3, 4), store.recheck());
            assertEquals(allBut(OF_B), store.verified());
            assertEquals(OF_B, fetchMissing(store));
            assertSameAlbum(store.finish());
        }
    }

    @Test
    void theDroppedMarksAreGoneFromTheSidecarToo() throws Exception {
        Path part = downloadedAll(true);
        Files.delete(part.resolve("b.bin"));
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            rechecked(store);
        } // paused again at once: b.bin is there now, empty, at its length
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, store.lastStop());
            assertEquals(allBut(OF_B), store.verified(), "nothing of the empty b.bin trusted");
            assertEquals(OF_B, fetchMissing(store));
            assertSameAlbum(store.finish());
        }
    }

    @Test
    void marksStoppedBeforeTheirCheckAreCheckedAtTheNextResumeStill() throws Exception {
        Path part = downloadedAll(true);
        replace(part.resolve("b.bin"));
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.UNCLEAN, store.lastStop());
        } // stopped before the check ended: it failed (a read error), or the node shut its worker down meanwhile
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.UNCLEAN, store.lastStop(), "the marks of the replaced b.bin are still no proof");
            assertEquals(new Recheck(3, 4), store.recheck());
            assertEquals(OF_B, fetchMissing(store));
            assertSameAlbum(store.finish());
        }
    }

    @Test
    void aPartLeftWithNoMarkIsTrustedAgainOnceWrittenAndClosed() throws Exception {
        ChunkStore first = ChunkStore.open(album, out);
        StoreChunks.write(first, 3, chunk(3));
        StoreChunks.write(first, 4, chunk(4));
        first.close();
        Files.delete(first.partFile().resolve("b.bin")); // the only file with anything verified in it
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(0, store.verifiedCount(), "nothing left to check");
            StoreChunks.write(store, 0, chunk(0));
        }
        try (ChunkStore store = ChunkStore.resume(album.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, store.lastStop(), "what it wrote since was verified as it came");
            assertEquals(chunks(0), store.verified());
        }
    }

    @Test
    void aPartialDirectoryMissingAFileIsDeletedWholeWhenTheDownloadIsGivenUp() throws Exception {
        Path part = downloadedAll(true);
        Files.delete(part.resolve("b.bin"));
        ChunkStore.discard(album.contentId(), out);
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.toList(), "neither the sidecar nor the other files left behind");
        }
    }

    /**
     * Giving up is no repair: a file lost from the partial directory is not made again first (on FAT, where nothing is
     * sparse, that wrote it whole; on a full disk it failed, and the partial directory stayed behind).
     */
    @Test
    void aPartialDirectoryMissingAFileIsDeletedFromAFullDiskWhenTheDownloadIsGivenUp() throws Exception {
        try (TmpfsMount disk = TmpfsMount.at(dir, 256)) {
            out = disk.path();
            Path part = downloadedAll(true);
            Files.delete(part.resolve("b.bin"));
            Path filler = fill(out);
            ChunkStore.discard(album.contentId(), out);
            try (Stream<Path> left = Files.list(out)) {
                assertEquals(List.of(filler), left.toList(), "neither the sidecar nor the other files left behind");
            }
        }
    }

    /** Fills the file system {@code out} is on with one file, 1 MiB at most; returns it. */
    private static Path fill(Path out) throws Exception {
        Path filler = out.resolve("filler");
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int size : new int[] {64 << 10, 512}) {
                ByteBuffer block = ByteBuffer.allocate(size);
                for (int i = 0; i < (1 << 20) / size; i++) {
                    try {
                        ch.write(block.clear());
                    } catch (IOException full) {
                        break;
                    }
                }
            }
        }
        return filler;
    }

    @Test
    void aFileReplacedByALinkIsNeitherFollowedNorReplaced() throws Exception {
        Path part = downloadedAll(true);
        Path theirs = RandomFiles.write(dir.resolve("theirs"), 3 * CHUNK, 7);
        byte[] theirBytes = Files.readAllBytes(theirs);
        Files.delete(part.resolve("b.bin"));
        Files.createSymbolicLink(part.resolve("b.bin"), theirs);
        assertTrue(ChunkStore.resume(album.contentId(), out).isEmpty(), "a part with a link in it is not ours");
        assertTrue(Files.isSymbolicLink(part.resolve("b.bin")), "the link left as it is");
        assertArrayEquals(theirBytes, Files.readAllBytes(theirs));
    }

    @Test
    void aDirectoryWhereAFileBelongsIsLeftAsItIs() throws Exception {
        Path part = downloadedAll(true);
        Files.delete(part.resolve("b.bin"));
        Path mine = Files.write(Files.createDirectories(part.resolve("b.bin")).resolve("mine.txt"), new byte[] {1});
        assertTrue(ChunkStore.resume(album.contentId(), out).isEmpty());
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(mine));
    }

    /** A single file's part deleted or cut: nothing of it is kept, as before, and what is there is left alone. */
    @Test
    void aSingleFilesPartDeletedOrCutStartsAfreshAndLeavesWhatIsThere() throws Exception {
        Path file = RandomFiles.write(dir.resolve("src/one.bin"), 3 * CHUNK, 5);
        byte[] data = Files.readAllBytes(file);
        Manifest one = Manifest.ofFile(file, "one.bin", CHUNK);
        Path first;
        try (ChunkStore store = ChunkStore.open(one, out)) {
            first = store.partFile();
            StoreChunks.write(store, 0, ByteBuffer.wrap(data, 0, CHUNK).slice());
        }
        Files.delete(first);
        assertTrue(ChunkStore.resume(one.contentId(), out).isEmpty());
        try (ChunkStore store = ChunkStore.open(one, out)) {
            assertEquals(first, store.partFile(), "its name is free again");
            assertEquals(0, store.verifiedCount());
            StoreChunks.write(store, 0, ByteBuffer.wrap(data, 0, CHUNK).slice());
        }
        try (FileChannel part = FileChannel.open(first, StandardOpenOption.WRITE)) {
            part.truncate(CHUNK);
        }
        assertTrue(ChunkStore.resume(one.contentId(), out).isEmpty());
        try (ChunkStore store = ChunkStore.open(one, out)) {
            assertEquals(out.resolve(".one.bin.1.kadshare-part"), store.partFile());
            assertEquals(0, store.verifiedCount());
            for (int i = 0; i < one.chunkCount(); i++) {
                StoreChunks.write(store, i, ByteBuffer.wrap(data, i * CHUNK, CHUNK).slice());
            }
            assertArrayEquals(data, Files.readAllBytes(store.finish()));
        }
        assertEquals(CHUNK, Files.size(first), "the cut part is left as it is");
        assertFalse(Files.exists(ResumeState.pathFor(one.contentId(), out), LinkOption.NOFOLLOW_LINKS));
    }
}
