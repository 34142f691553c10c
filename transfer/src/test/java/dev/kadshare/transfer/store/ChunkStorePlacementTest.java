package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download never destroys what is in its output directory: the final name, the part name, the names in it. */
class ChunkStorePlacementTest {
    private static final byte[] MINE = "mine\n".getBytes();

    @TempDir
    Path dir;

    private byte[] data;
    private Manifest manifest;

    private Path out() throws Exception {
        return Files.createDirectories(dir.resolve("out"));
    }

    private void share(String name, int length) throws Exception {
        data = new byte[length];
        new Random(length).nextBytes(data);
        Path src = Files.createDirectories(dir.resolve("src")).resolve("file");
        Files.write(src, data);
        manifest = Manifest.ofFile(src, name, 4096);
    }

    /** Writes every chunk of the shared file. */
    private void fill(ChunkStore store) throws Exception {
        for (int i = 0; i < manifest.chunkCount(); i++) {
            int from = (int) manifest.chunkOffset(i);
            StoreChunks.write(store, i, ByteBuffer.wrap(Arrays.copyOfRange(data, from, from + manifest.chunkLength(i))));
        }
    }

    /** Downloads the shared content into {@code out} as a download would: open, every chunk, finish. */
    private Path download(Path out) throws Exception {
        ChunkStore store = ChunkStore.open(manifest, out);
        fill(store);
        return store.finish();
    }

    @Test
    void aFileAtTheFinalNameIsKeptAndTheDownloadTakesTheNextFreeName() throws Exception {
        share("x.bin", 10_000);
        Path out = out();
        Files.write(out.resolve("x.bin"), MINE);
        Path first = download(out);
        assertEquals(out.resolve("x (1).bin"), first);
        assertArrayEquals(data, Files.readAllBytes(first));
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("x.bin")), "not replaced, not truncated");
        Files.write(first, MINE); // the download is not there any more: the next one goes on numbering
        assertEquals(out.resolve("x (2).bin"), download(out));
        assertTrue(leftovers(out).isEmpty(), "no part file or sidecar left behind: " + leftovers(out));
    }

    @Test
    void aDirectoryAtTheFinalNameIsKept() throws Exception {
        share("x.bin", 5000);
        Path out = out();
        Files.write(Files.createDirectories(out.resolve("x.bin")).resolve("inside"), MINE);
        assertEquals(out.resolve("x (1).bin"), download(out));
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("x.bin/inside")));
    }

    @Test
    void symbolicLinksAtTheFinalNameAreNeverFollowedNorReplaced() throws Exception {
        share("x.bin", 5000);
        Path out = out();
        Path theirs = Files.write(dir.resolve("theirs.txt"), MINE);
        Path theirDir = Files.createDirectories(dir.resolve("their-dir"));
        Files.createSymbolicLink(out.resolve("x.bin"), theirs);
        Files.createSymbolicLink(out.resolve("x (1).bin"), theirDir);
        Files.createSymbolicLink(out.resolve("x (2).bin"), dir.resolve("nowhere")); // dangling
        assertEquals(out.resolve("x (3).bin"), download(out));
        assertEquals(theirs, Files.readSymbolicLink(out.resolve("x.bin")));
        assertEquals(theirDir, Files.readSymbolicLink(out.resolve("x (1).bin")));
        assertTrue(Files.isSymbolicLink(out.resolve("x (2).bin")));
        assertFalse(Files.exists(dir.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS), "nothing created at its target");
        assertArrayEquals(MINE, Files.readAllBytes(theirs));
        try (Stream<Path> inTheirDir = Files.list(theirDir)) {
            assertEquals(0, inTheirDir.count());
        }
    }

    @Test
    void aDirectoryShareTakesTheNextFreeNameToo() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/Album"));
        Files.write(src.resolve("a.bin"), new byte[3000]);
        Manifest album = Manifest.ofDirectory(src, "Album", 4096);
        Path out = out();
        Files.write(Files.createDirectories(out.resolve("Album")).resolve("a.bin"), MINE);
        Files.write(out.resolve("Album (1)"), MINE);
        ChunkStore store = ChunkStore.open(album, out);
        StoreChunks.write(store, 0, ByteBuffer.wrap(new byte[3000]));
        assertEquals(out.resolve("Album (2)"), store.finish());
        assertArrayEquals(new byte[3000], Files.readAllBytes(out.resolve("Album (2)/a.bin")));
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("Album/a.bin")), "not merged into, not replaced");
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("Album (1)")));
    }

    @Test
    void whenEveryNameIsTakenTheMoveFailsAndThePartialFileStays() throws Exception {
        share("x.bin", 5000);
        Path out = out();
        Files.write(out.resolve("x.bin"), MINE);
        for (int n = 1; n < ChunkStore.NAME_ATTEMPTS; n++) {
            Files.write(out.resolve("x (" + n + ").bin"), MINE);
        }
        ChunkStore store = ChunkStore.open(manifest, out);
        fill(store);
        StoreFailure failure = assertThrows(StoreFailure.class, store::finish);
        assertTrue(failure.getMessage().contains("no free name for x.bin in " + out), failure.getMessage());
        assertFalse(Files.exists(out.resolve("x (100).bin")));
        assertEquals(data.length, Files.size(store.partFile()), "the partial file is kept for a resume");
        assertEquals(manifest.chunkCount(), ChunkStore.resume(manifest.contentId(), out).orElseThrow().verifiedCount());
    }

    @Test
    void anIdenticalFileInPlaceIsTakenAsItIsNotDownloadedAgain() throws Exception {
        share("x.bin", 10_000);
        Path out = out();
        Path mine = Files.write(out.resolve("x.bin"), data);
        Object inode = Files.getAttribute(mine, "unix:ino");
        try (ChunkStore store = ChunkStore.open(manifest, out)) {
            assertTrue(store.isComplete(), "every chunk verified in place");
            assertEquals(mine, store.partFile(), "served from where it is");
            assertEquals(mine, store.finish());
        }
        assertEquals(inode, Files.getAttribute(mine, "unix:ino"), "the same file, not a copy");
        assertTrue(leftovers(out).isEmpty(), "no part file, no sidecar: " + leftovers(out));
        ChunkStore again = ChunkStore.open(manifest, out);
        again.discard(); // what abandoning the download does
        assertArrayEquals(data, Files.readAllBytes(mine), "the user's file is never deleted with a partial download");
    }

    @Test
    void onlyAVerifiedRegularFileIsTakenInPlace() throws Exception {
        share("x.bin", 10_000);
        Path out = out();
        byte[] spoiled = data.clone();
        spoiled[9_999] ^= 1; // same length, last chunk differs
        Files.write(out.resolve("x.bin"), spoiled);
        Path copy = Files.write(dir.resolve("copy"), data);
        Files.createSymbolicLink(out.resolve("x (1).bin"), copy); // right bytes, but through a link
        Files.write(out.resolve("x (2).bin"), data);
        try (ChunkStore store = ChunkStore.open(manifest, out)) {
            assertEquals(out.resolve("x (2).bin"), store.partFile(), "the first identical regular file");
            assertTrue(store.isComplete());
        }
        Files.delete(out.resolve("x (2).bin"));
        ChunkStore store = ChunkStore.open(manifest, out);
        assertEquals(0, store.verifiedCount(), "nothing identical in place: a real download");
        fill(store);
        assertEquals(out.resolve("x (2).bin"), store.finish());
        assertArrayEquals(spoiled, Files.readAllBytes(out.resolve("x.bin")));
    }

    @Test
    void anIdenticalDirectoryInPlaceIsTakenAsItIs() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/Album"));
        byte[] a = new byte[5000];
        new Random(3).nextBytes(a);
        Files.write(src.resolve("a.bin"), a);
        Files.write(Files.createDirectories(src.resolve("sub")).resolve("b.bin"), a);
        Manifest album = Manifest.ofDirectory(src, "Album", 4096);
        Path out = out();
        Path there = Files.createDirectories(out.resolve("Album/sub"));
        Files.write(there.resolve("b.bin"), a);
        Files.write(out.resolve("Album/a.bin"), a);
        Files.write(out.resolve("Album/extra.txt"), MINE);
        try (ChunkStore store = ChunkStore.open(album, out)) {
            assertTrue(store.isComplete());
            assertEquals(out.resolve("Album"), store.finish());
        }
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("Album/extra.txt")));
    }

    @Test
    void somethingNotOursAtThePartNameIsLeftAloneAndAnotherPartNameIsUsed() throws Exception {
        share("x.bin", 10_000);
        Path out = out();
        Path part = ChunkStore.partFileFor(out, "x.bin");
        Files.write(part, MINE); // a file of the wrong size, no sidecar: not provably ours
        ChunkStore store = ChunkStore.open(manifest, out);
        assertEquals(out.resolve(".x.bin.1.kadshare-part"), store.partFile());
        StoreChunks.write(store, 0, ByteBuffer.wrap(data, 0, 4096).slice());
        store.close();
        assertArrayEquals(MINE, Files.readAllBytes(part), "not truncated, not written");
        try (ChunkStore resumed = ChunkStore.open(manifest, out)) {
            assertEquals(store.partFile(), resumed.partFile(), "the sidecar names its own partial file");
            assertEquals(1, resumed.verifiedCount());
            fill(resumed);
            assertEquals(out.resolve("x.bin"), resumed.finish());
        }
        assertArrayEquals(MINE, Files.readAllBytes(part));
    }

    @Test
    void aDirectoryOrAnyLinkAtThePartNamesIsLeftAloneAndTheNextFreeOneIsUsed() throws Exception {
        share("x.bin", 3 * 4096);
        Path out = out();
        // At each part name something of the user's: a directory, links to a file (of the content's very length,
        // so it would pass for a partial file of ours), to a directory, and to nothing.
        Path theirs = Files.write(dir.resolve("theirs"), new byte[3 * 4096]);
        Path theirDir = Files.createDirectories(dir.resolve("their-dir"));
        Files.write(Files.createDirectories(out.resolve(".x.bin.kadshare-part")).resolve("inside"), MINE);
        Files.createSymbolicLink(out.resolve(".x.bin.1.kadshare-part"), theirs);
        Files.createSymbolicLink(out.resolve(".x.bin.2.kadshare-part"), theirDir);
        Files.createSymbolicLink(out.resolve(".x.bin.3.kadshare-part"), dir.resolve("nowhere"));
        ChunkStore store = ChunkStore.open(manifest, out);
        assertEquals(out.resolve(".x.bin.4.kadshare-part"), store.partFile());
        assertEquals(0, store.verifiedCount(), "nothing of theirs taken for a partial download");
        fill(store);
        assertEquals(out.resolve("x.bin"), store.finish());
        assertArrayEquals(data, Files.readAllBytes(out.resolve("x.bin")));
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve(".x.bin.kadshare-part/inside")));
        assertArrayEquals(new byte[3 * 4096], Files.readAllBytes(theirs));
        assertEquals(theirs, Files.readSymbolicLink(out.resolve(".x.bin.1.kadshare-part")));
        assertEquals(theirDir, Files.readSymbolicLink(out.resolve(".x.bin.2.kadshare-part")));
        try (Stream<Path> inTheirDir = Files.list(theirDir)) {
            assertEquals(0, inTheirDir.count());
        }
        assertFalse(Files.exists(dir.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS), "nothing created at its target");
    }

    @Test
    void aLinkPutInsideAPartialDirectoryIsNeverWrittenThrough() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/Album/sub"));
        byte[] a = new byte[4096];
        new Random(7).nextBytes(a);
        Files.write(src.getParent().resolve("a.bin"), a);
        Files.write(src.resolve("b.bin"), a);
        Manifest album = Manifest.ofDirectory(src.getParent(), "Album", 4096);
        Path out = out();
        ChunkStore store = ChunkStore.open(album, out);
        StoreChunks.write(store, 0, ByteBuffer.wrap(a)); // a.bin, in the part directory's top level
        // Mid-download, the part directory's sub directory becomes a link to a directory of someone else's that
        // holds a file of the very name and length the download writes next.
        Path theirDir = Files.createDirectories(dir.resolve("their-dir"));
        byte[] theirBytes = new byte[4096];
        Files.write(theirDir.resolve("b.bin"), theirBytes);
        Path sub = store.partFile().resolve("sub");
        Files.delete(sub.resolve("b.bin"));
        Files.delete(sub);
        Files.createSymbolicLink(sub, theirDir);
        StoreFailure failure = assertThrows(StoreFailure.class, () -> StoreChunks.write(store, 1, ByteBuffer.wrap(a)));
        assertTrue(failure.getMessage().startsWith("cannot write " + store.partFile()), failure.getMessage());
        assertArrayEquals(theirBytes, Files.readAllBytes(theirDir.resolve("b.bin")), "their file not written");
        // Closing forces every file to disk: not through the link either.
        assertThrows(IOException.class, store::close);
        assertTrue(ChunkStore.resume(album.contentId(), out).isEmpty(), "not resumed through the link either");
        assertArrayEquals(theirBytes, Files.readAllBytes(theirDir.resolve("b.bin")));
    }

    /** A download of three chunks into out() that stored chunk {@code index} and was closed cleanly. */
    private Path storedOneChunk(int index) throws Exception {
        share("x.bin", 3 * 4096);
        Path out = out();
        try (ChunkStore store = ChunkStore.create(manifest, out)) {
            StoreChunks.write(store, index, ByteBuffer.wrap(data, index * 4096, 4096).slice());
        }
        return out;
    }

    @Test
    void aSidecarsPartReplacedByALinkIsNeverWrittenThrough() throws Exception {
        Path out = storedOneChunk(0);
        // Someone swaps the partial file for a link to a file of theirs of the very same size.
        Path theirs = Files.write(dir.resolve("theirs"), new byte[3 * 4096]);
        Path part = ChunkStore.partFileFor(out, "x.bin");
        Files.delete(part);
        Files.createSymbolicLink(part, theirs);
        assertTrue(ChunkStore.resume(manifest.contentId(), out).isEmpty(), "not resumed through the link");
        try (ChunkStore store = ChunkStore.open(manifest, out)) {
            assertEquals(0, store.verifiedCount());
            assertEquals(out.resolve(".x.bin.1.kadshare-part"), store.partFile());
            fill(store);
        }
        assertArrayEquals(new byte[3 * 4096], Files.readAllBytes(theirs), "their file untouched");
        assertTrue(Files.isSymbolicLink(part));
    }

    @Test
    void aSidecarWrittenBeforePartNamesStillResumes() throws Exception {
        Path out = storedOneChunk(1);
        // Rewrite the sidecar as version 2 wrote it: no part name, final name or stamps between the stop byte and the
        // manifest.
        Path sidecar = ResumeState.pathFor(manifest.contentId(), out);
        byte[] v5 = Files.readAllBytes(sidecar);
        int dropped = 2 + (((v5[6] & 0xff) << 8) | (v5[7] & 0xff)) + 2 + 32;
        byte[] v2 = new byte[v5.length - dropped];
        System.arraycopy(v5, 0, v2, 0, 6);
        System.arraycopy(v5, 6 + dropped, v2, 6, v2.length - 6);
        v2[4] = 2;
        Files.write(sidecar, v2);
        try (ChunkStore resumed = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(ChunkStore.partFileFor(out, "x.bin"), resumed.partFile());
            assertTrue(resumed.isVerified(1));
            assertEquals(1, resumed.verifiedCount());
            assertEquals(LastStop.UNCLEAN, resumed.lastStop(), "nothing vouches that its part is unchanged");
        }
        assertEquals(5, Files.readAllBytes(sidecar)[4], "rewritten in the current form");
    }

    @Test
    void aSidecarWrittenBeforeStampsIsCheckedOnce() throws Exception {
        Path out = storedOneChunk(1);
        // Rewrite the sidecar as version 3 wrote it: the part name, then neither final name nor stamps before the
        // manifest.
        Path sidecar = ResumeState.pathFor(manifest.contentId(), out);
        byte[] v5 = Files.readAllBytes(sidecar);
        int finalNameAt = 8 + (((v5[6] & 0xff) << 8) | (v5[7] & 0xff));
        byte[] v3 = new byte[v5.length - 2 - 32];
        System.arraycopy(v5, 0, v3, 0, finalNameAt);
        System.arraycopy(v5, finalNameAt + 2 + 32, v3, finalNameAt, v3.length - finalNameAt);
        v3[4] = 3;
        assertEquals(1, v3[5], "closed cleanly");
        Files.write(sidecar, v3);
        try (ChunkStore resumed = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.UNCLEAN, resumed.lastStop(), "its marks are checked once");
            assertEquals(new Recheck(1, 0), resumed.recheck());
        }
        try (ChunkStore again = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, again.lastStop(), "then trusted, stamped at its clean close");
            assertTrue(again.isVerified(1));
        }
    }

    @Test
    void aSidecarWrittenBeforeFinalNamesKeepsItsCleanStop() throws Exception {
        Path out = storedOneChunk(1);
        // Rewrite the sidecar as version 4 wrote it: the part name, then the stamps, no final name between them.
        Path sidecar = ResumeState.pathFor(manifest.contentId(), out);
        byte[] v5 = Files.readAllBytes(sidecar);
        int finalNameAt = 8 + (((v5[6] & 0xff) << 8) | (v5[7] & 0xff));
        assertEquals(0, v5[finalNameAt] | v5[finalNameAt + 1], "no final name before the move");
        byte[] v4 = new byte[v5.length - 2];
        System.arraycopy(v5, 0, v4, 0, finalNameAt);
        System.arraycopy(v5, finalNameAt + 2, v4, finalNameAt, v4.length - finalNameAt);
        v4[4] = 4;
        Files.write(sidecar, v4);
        try (ChunkStore resumed = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(ChunkStore.partFileFor(out, "x.bin"), resumed.partFile());
            assertEquals(LastStop.CLEAN, resumed.lastStop(), "its stamps vouch for its part");
            assertTrue(resumed.isVerified(1));
            assertEquals(1, resumed.verifiedCount());
        }
        assertEquals(5, Files.readAllBytes(sidecar)[4], "rewritten in the current form");
        try (ChunkStore again = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, again.lastStop());
            assertTrue(again.isVerified(1));
        }
    }

    @Test
    void namesFromTheManifestAreMadeSafeBeforeUse() throws Exception {
        share("\u001b]0;owned\u0007.bashrc", 5000);
        Path out = out();
        Path got = download(out);
        assertEquals(out.resolve("_]0;owned_.bashrc"), got);
        share(".bashrc", 5000);
        assertEquals(out.resolve("_bashrc"), download(out), "never a hidden file next to the user's own");
    }

    /** A directory share of two files whose names differ only in case, made in {@code dir}. */
    static Manifest caseTwins(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/share"));
        Files.write(src.resolve("Read.me"), new byte[10]);
        Files.write(src.resolve("read.me"), new byte[20]);
        return Manifest.ofDirectory(src, "share", 4096);
    }

    @Test
    void namesThatWouldBeOneFileHereFailTheDownloadBeforeAnythingIsWritten() throws Exception {
        Manifest share = caseTwins(dir);
        Path out = out();
        StoreFailure failure = assertThrows(StoreFailure.class, () -> ChunkStore.open(share, out, d -> true));
        assertTrue(failure.getMessage().contains("ignores case"), failure.getMessage());
        assertTrue(leftovers(out).isEmpty(), "nothing created: " + leftovers(out));
        try (ChunkStore store = ChunkStore.open(share, out, d -> false)) {
            assertEquals(2, store.manifest().files().size(), "where case matters, both are kept");
        }
    }

    @Test
    void theRealProbeSaysThisFileSystemTellsCaseApart() throws Exception {
        // /tmp here is ext4 without casefold; the probe must see that by itself, and leave nothing behind.
        assertFalse(CaseProbe.probing().ignoresCase(out()));
        assertTrue(leftovers(out()).isEmpty());
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedFailsWithItsReason() throws Exception {
        Path file = Files.write(dir.resolve("a-file"), MINE);
        share("x.bin", 5000);
        StoreFailure failure = assertThrows(StoreFailure.class, () -> ChunkStore.open(manifest, file.resolve("sub")));
        assertEquals("output directory " + file.resolve("sub") + " does not exist and cannot be created: "
                + "Not a directory", failure.getMessage());
    }

    private static java.util.List<String> leftovers(Path out) throws Exception {
        try (Stream<Path> all = Files.list(out)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }
}
