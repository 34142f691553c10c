package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.Manifest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStoreTest {
    @TempDir
    Path dir;

    private byte[] data;
    private Manifest manifest;

    private void share(int length, int chunkSize) throws Exception {
        data = new byte[length];
        new Random(7).nextBytes(data);
        Path src = Files.createDirectories(dir.resolve("src")).resolve("file");
        Files.write(src, data);
        manifest = Manifest.ofFile(src, "file.bin", chunkSize);
    }

    private ByteBuffer chunk(int i) {
        int from = (int) manifest.chunkOffset(i);
        return ByteBuffer.wrap(Arrays.copyOfRange(data, from, from + manifest.chunkLength(i)));
    }

    @Test
    void badChunkIsRefusedAndNeverWritten() throws Exception {
        share(10_000, 4096);
        Path out = dir.resolve("out");
        try (ChunkStore store = ChunkStore.create(manifest, out)) {
            byte[] bad = chunk(1).array();
            bad[100] ^= 1;
            assertEquals(WriteResult.FAILED_VERIFICATION, StoreChunks.write(store, 1, ByteBuffer.wrap(bad)));
            assertEquals(WriteResult.FAILED_VERIFICATION, StoreChunks.write(store, 2, chunk(1)), "right bytes, wrong slot");
            assertFalse(store.isVerified(1));
            assertEquals(0, store.verifiedCount());
            // The part file is created at full length, sparse: a refused chunk leaves it all zeros.
            assertArrayEquals(new byte[data.length], Files.readAllBytes(store.partFile()), "nothing reached the disk");
        }
    }

    @Test
    void finalFileAppearsOnlyWhenEveryChunkIsVerified() throws Exception {
        share(10_000, 4096); // chunks of 4096, 4096, 1808
        Path out = dir.resolve("out");
        Path target = out.resolve("file.bin");
        ChunkStore store = ChunkStore.create(manifest, out);
        assertEquals(out.resolve(".file.bin.kadshare-part"), store.partFile());

        assertEquals(WriteResult.STORED, StoreChunks.write(store, 2, chunk(2)));
        assertEquals(chunk(2), StoreChunks.read(store, 2).orElseThrow());
        assertTrue(StoreChunks.read(store, 1).isEmpty(), "unverified chunks are not readable");
        assertEquals(WriteResult.STORED, StoreChunks.write(store, 0, chunk(0)));
        assertEquals(WriteResult.ALREADY_VERIFIED, StoreChunks.write(store, 0, chunk(0)));
        assertFalse(store.isComplete());
        assertThrows(IllegalStateException.class, store::finish);
        assertFalse(Files.exists(target));

        assertEquals(WriteResult.STORED, StoreChunks.write(store, 1, chunk(1)));
        assertTrue(store.isComplete());
        assertEquals(10_000, store.verifiedBytes());
        assertEquals(target, store.finish());
        assertArrayEquals(data, Files.readAllBytes(target));
        assertFalse(Files.exists(store.partFile()));
    }

    /**
     * Whoever goes by where the move says the content is finds it there the moment it is told, and under one name or
     * the other at every moment: a file is told while both names lead to it, a directory just after its rename.
     */
    @Test
    void theMoveTellsWhereTheContentIsWhileItCanBeFoundThere() throws Exception {
        share(10_000, 4096);
        Path out = dir.resolve("out");
        ChunkStore store = ChunkStore.create(manifest, out);
        for (int i = 0; i < manifest.chunkCount(); i++) {
            StoreChunks.write(store, i, chunk(i));
        }
        Files.createDirectories(out);
        Files.write(out.resolve("file.bin"), new byte[] {1}); // the user's: the download takes the next free name
        Path part = store.partFile();
        List<String> told = new ArrayList<>();
        Path placed = store.finish(AfterMove.DELETE_SIDECAR, root -> told.add(root.getFileName() + ": "
                + Arrays.equals(data, read(root)) + ", part " + Files.exists(part)));
        assertEquals(out.resolve("file (1).bin"), placed);
        assertEquals(List.of("file (1).bin: true, part true"), told);

        Path src = Files.createDirectories(dir.resolve("album"));
        Files.write(src.resolve("a.bin"), data);
        Manifest album = Manifest.ofDirectory(src, "Album", 4096);
        ChunkStore tree = ChunkStore.create(album, out);
        for (int i = 0; i < album.chunkCount(); i++) {
            StoreChunks.write(tree, i, chunk(i));
        }
        Path partTree = tree.partFile();
        told.clear();
        tree.finish(AfterMove.DELETE_SIDECAR, root -> told.add(root.getFileName() + ": "
                + Arrays.equals(data, read(root.resolve("a.bin"))) + ", part " + Files.exists(partTree)));
        assertEquals(List.of("Album: true, part false"), told);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    @Test
    void zeroByteContentFinishesAtOnce() throws Exception {
        share(0, 4096);
        ChunkStore store = ChunkStore.create(manifest, dir.resolve("out"));
        assertTrue(store.isComplete());
        assertEquals(0, Files.size(store.finish()));
    }

    @Test
    void discardDeletesThePartialFile() throws Exception {
        share(5000, 4096);
        ChunkStore store = ChunkStore.create(manifest, dir.resolve("out"));
        StoreChunks.write(store, 0, chunk(0));
        store.discard();
        assertFalse(Files.exists(store.partFile()));
        assertFalse(Files.exists(dir.resolve("out").resolve("file.bin")));
    }

    /** Overwrites the bytes of chunk {@code i} in the part file behind the store's back, as a lost write would. */
    private void spoil(Path partFile, int i) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(partFile,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(manifest.chunkLength(i)), manifest.chunkOffset(i));
        }
    }

    @Test
    void afterAnUncleanStopTheRecheckUnmarksChunksWhoseBytesAreWrong() throws Exception {
        share(10 * 4096 + 5, 4096);
        Path out = dir.resolve("out");
        ChunkStore crashed = ChunkStore.create(manifest, out);
        for (int i = 0; i < 5; i++) {
            StoreChunks.write(crashed, i, chunk(i));
        }
        // No close(): the process died here. Then chunk 2's data is found lost (a power cut before writeback).
        spoil(crashed.partFile(), 2);
        try (ChunkStore resumed = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.UNCLEAN, resumed.lastStop());
            assertEquals(5, resumed.verifiedCount(), "the sidecar's claim, before the check");
            assertEquals(new Recheck(4, 1), resumed.recheck());
            assertFalse(resumed.isVerified(2));
            assertEquals(4 * 4096L, resumed.verifiedBytes());
        }
        try (ChunkStore again = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, again.lastStop(), "closed cleanly after the check");
            assertFalse(again.isVerified(2), "the discarded chunk's mark is gone from the sidecar too");
            assertEquals(4, again.verifiedCount());
        }
    }

    @Test
    void aPartialFileFoundWithoutItsSidecarIsCheckedNotThrownAway() throws Exception {
        share(10 * 4096 + 5, 4096);
        Path out = dir.resolve("out");
        try (ChunkStore earlier = ChunkStore.create(manifest, out)) {
            for (int i : new int[] {0, 3, 4, 10}) {
                StoreChunks.write(earlier, i, chunk(i));
            }
        }
        Files.delete(ResumeState.pathFor(manifest.contentId(), out)); // lost, or damaged past reading
        assertTrue(ChunkStore.resume(manifest.contentId(), out).isEmpty());
        try (ChunkStore adopted = ChunkStore.open(manifest, out)) {
            assertEquals(LastStop.UNCLEAN, adopted.lastStop(), "nothing in it is trusted yet");
            assertEquals(manifest.chunkCount(), adopted.verifiedCount(), "every chunk is to be checked");
            assertEquals(new Recheck(4, 7), adopted.recheck());
            assertEquals(java.util.BitSet.valueOf(new long[] {0b100_0001_1001L}), adopted.verified());
        }
        try (ChunkStore again = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, again.lastStop());
            assertEquals(4, again.verifiedCount(), "the new sidecar keeps what the check found");
        }
    }

    @Test
    void aPartialFileThatIsASymbolicLinkIsNotAdopted() throws Exception {
        share(3 * 4096, 4096);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path elsewhere = Files.write(dir.resolve("elsewhere"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(ChunkStore.partFileFor(out, "file.bin"), elsewhere);
        try (ChunkStore store = ChunkStore.open(manifest, out)) {
            assertEquals(0, store.verifiedCount(), "started afresh");
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(elsewhere), "the link's target is untouched");
    }

    @Test
    void aPartDirectoryThatIsASymbolicLinkIsNotAdopted() throws Exception {
        Path src = Files.createDirectories(dir.resolve("share"));
        Files.write(src.resolve("a.bin"), new byte[5000]);
        Manifest shared = Manifest.ofDirectory(src, "share");
        Path out = Files.createDirectories(dir.resolve("out"));
        // Someone else's directory, holding a file of the right name and length, linked in as our part path.
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.write(elsewhere.resolve("a.bin"), new byte[5000]);
        Files.createSymbolicLink(ChunkStore.partFileFor(out, "share"), elsewhere);
        try (ChunkStore store = ChunkStore.open(shared, out)) {
            assertEquals(0, store.verifiedCount(), "started afresh, not adopted through the link");
        }
        assertTrue(Files.exists(elsewhere.resolve("a.bin")), "the link's target is untouched");
        assertTrue(Files.isSymbolicLink(ChunkStore.partFileFor(out, "share")), "the link itself is left alone too");
    }

    @Test
    void onlyACleanCloseMakesTheSidecarTrusted() throws Exception {
        share(4 * 4096, 4096);
        Path out = dir.resolve("out");
        try (ChunkStore store = ChunkStore.create(manifest, out)) {
            StoreChunks.write(store, 0, chunk(0));
        }
        ChunkStore reopened = ChunkStore.resume(manifest.contentId(), out).orElseThrow();
        assertEquals(LastStop.CLEAN, reopened.lastStop());
        StoreChunks.write(reopened, 1, chunk(1));
        // The reopened store is in use: dying now must not leave a sidecar that claims to be trustworthy.
        ChunkStore afterCrash = ChunkStore.resume(manifest.contentId(), out).orElseThrow();
        assertEquals(LastStop.UNCLEAN, afterCrash.lastStop());
        assertEquals(new Recheck(2, 0), afterCrash.recheck());
        afterCrash.close();
        reopened.close();
    }

    /** A store of ten chunks that wrote chunks 0 to 4 and closed cleanly; returns its sidecar. */
    private Path fiveOfTenClosedCleanly(Path out) throws Exception {
        share(10 * 4096, 4096);
        try (ChunkStore store = ChunkStore.create(manifest, out)) {
            for (int i = 0; i < 5; i++) {
                StoreChunks.write(store, i, chunk(i));
            }
        }
        return out.resolve("." + manifest.contentId().toHex() + ".kadshare-state");
    }

    @Test
    void aSidecarCutShortKeepsTheChunksItStillMarksAndTheirBytes() throws Exception {
        Path out = dir.resolve("out");
        Path sidecar = fiveOfTenClosedCleanly(out);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(sidecar,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 7); // the marks of chunks 3 to 9 are gone
        }
        // It used to be ignored: the store started afresh and truncated the part file, all five chunks lost.
        try (ChunkStore reopened = ChunkStore.open(manifest, out)) {
            assertEquals(new Recheck(3, 0), reopened.recheck());
            assertEquals(LastStop.UNCLEAN, reopened.lastStop(), "a damaged sidecar's marks are not proof");
            assertEquals(chunk(2), StoreChunks.read(reopened, 2).orElseThrow());
            assertFalse(reopened.isVerified(3), "no longer marked, so fetched again");
        }
        try (ChunkStore again = ChunkStore.resume(manifest.contentId(), out).orElseThrow()) {
            assertEquals(LastStop.CLEAN, again.lastStop(), "the sidecar is whole again");
            assertEquals(3, again.verifiedCount());
            StoreChunks.write(again, 9, chunk(9));
        }
        assertEquals(4, ChunkStore.resume(manifest.contentId(), out).orElseThrow().verifiedCount());
    }

    @Test
    void aSidecarWithBytesAfterItsBitmapKeepsItsMarks() throws Exception {
        Path out = dir.resolve("out");
        Path sidecar = fiveOfTenClosedCleanly(out);
        Files.write(sidecar, new byte[] {1, 1, 1}, java.nio.file.StandardOpenOption.APPEND);
        try (ChunkStore reopened = ChunkStore.open(manifest, out)) {
            assertEquals(new Recheck(5, 0), reopened.recheck());
            assertEquals(LastStop.UNCLEAN, reopened.lastStop());
            assertEquals(chunk(4), StoreChunks.read(reopened, 4).orElseThrow());
        }
    }

    @Test
    void aSidecarGrownHugeIsReadOnlyAsFarAsItsHeaderSays() throws Exception {
        Path out = dir.resolve("out");
        Path sidecar = fiveOfTenClosedCleanly(out);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sidecar.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB of zeros after the bitmap
        }
        // Reading it whole threw OutOfMemoryError (below 2 GiB it would have allocated it all).
        try (ChunkStore reopened = ChunkStore.open(manifest, out)) {
            assertEquals(new Recheck(5, 0), reopened.recheck());
            assertEquals(LastStop.UNCLEAN, reopened.lastStop());
        }
        assertTrue(Files.size(sidecar) < 4096, "set right: " + Files.size(sidecar) + " bytes");
    }
}
