package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.content.Manifest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partial file belongs to the download whose sidecar names it: another content of the same name and length
 * never takes it over, and nothing trusts it after it changed while closed.
 */
class PartOwnershipTest {
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    /** A content of four chunks, shared from {@code file}. */
    private record Content(Manifest manifest, Path file) {
        byte[] bytes() throws Exception {
            return Files.readAllBytes(file);
        }

        ByteBuffer chunk(int i) throws Exception {
            return ByteBuffer.wrap(bytes(), i * CHUNK, CHUNK).slice();
        }

        void store(ChunkStore store, int... chunks) throws Exception {
            for (int i : chunks) {
                assertEquals(WriteResult.STORED, StoreChunks.write(store, i, chunk(i)));
            }
        }
    }

    private Content content(String source, String name, long seed) throws Exception {
        Path file = RandomFiles.write(dir.resolve(source).resolve("f"), 4 * CHUNK, seed);
        return new Content(Manifest.ofFile(file, name, CHUNK), file);
    }

    @Test
    void twoContentsOfOneNameAndLengthNeverShareAPartialFile() throws Exception {
        Content x = content("x", "report.pdf", 1);
        Content y = content("y", "report.pdf", 2); // another version of the same file
        Path out = dir.resolve("Downloads");
        Path xPart;
        try (ChunkStore store = ChunkStore.open(x.manifest(), out)) {
            xPart = store.partFile();
            x.store(store, 0, 1);
        } // paused
        try (ChunkStore store = ChunkStore.open(y.manifest(), out)) {
            assertNotEquals(xPart, store.partFile(), "the paused download's part is its own");
            assertEquals(0, store.verifiedCount());
            y.store(store, 0);
        }
        ChunkStore.discard(y.manifest().contentId(), out); // the user gives up on y
        assertTrue(Files.exists(xPart), "giving up on one leaves the other's progress");
        try (ChunkStore store = ChunkStore.open(x.manifest(), out)) {
            assertEquals(LastStop.CLEAN, store.lastStop());
            assertEquals(2, store.verifiedCount());
            x.store(store, 2, 3);
            assertArrayEquals(x.bytes(), Files.readAllBytes(store.finish()));
        }
    }

    @Test
    void aPartWhoseSidecarIsGoneIsStillAdoptedByItsOwnContent() throws Exception {
        Content x = content("x", "report.pdf", 1);
        Content y = content("y", "report.pdf", 2);
        Path out = dir.resolve("Downloads");
        try (ChunkStore store = ChunkStore.open(y.manifest(), out)) {
            y.store(store, 0); // y in progress, at the first part name
        }
        Path xPart;
        try (ChunkStore store = ChunkStore.open(x.manifest(), out)) {
            xPart = store.partFile();
            x.store(store, 0, 1, 2);
        }
        Files.delete(ResumeState.pathFor(x.manifest().contentId(), out)); // x's sidecar lost
        try (ChunkStore store = ChunkStore.open(x.manifest(), out)) {
            assertEquals(xPart, store.partFile(), "the one part no other sidecar claims");
            assertEquals(LastStop.UNCLEAN, store.lastStop());
            assertEquals(new Recheck(3, 1), store.recheck());
        }
    }

    @Test
    void onACaseSensitiveFileSystemAPartClaimedInAnotherCaseIsAnotherFileAndStillAdopted() throws Exception {
        Content x = content("x", "report.pdf", 1);
        Content y = content("y", "Report.pdf", 2); // another content, its name in another case
        Path out = dir.resolve("Downloads");
        try (ChunkStore store = ChunkStore.open(y.manifest(), out, d -> false)) {
            y.store(store, 0);
        }
        Path xPart;
        try (ChunkStore store = ChunkStore.open(x.manifest(), out, d -> false)) {
            xPart = store.partFile();
            x.store(store, 0, 1, 2);
        }
        Files.delete(ResumeState.pathFor(x.manifest().contentId(), out)); // x's sidecar lost
        try (ChunkStore store = ChunkStore.open(x.manifest(), out, d -> false)) {
            assertEquals(xPart, store.partFile(), "y's sidecar names another file here");
            assertEquals(new Recheck(3, 1), store.recheck());
        }
    }

    @Test
    void aPartChangedWhileClosedIsCheckedBeforeItIsTrusted() throws Exception {
        Content x = content("x", "video.mkv", 3);
        Path out = dir.resolve("out");
        Path part;
        try (ChunkStore store = ChunkStore.open(x.manifest(), out)) {
            part = store.partFile();
            x.store(store, 0, 1);
        }
        // Later, something else writes into it (a program, a restore from a backup).
        FileTime closed = Files.getLastModifiedTime(part);
        try (FileChannel file = FileChannel.open(part, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {0x66, 0x66, 0x66, 0x66}), 0);
        }
        Files.setLastModifiedTime(part, FileTime.fromMillis(closed.toMillis() + 5_000));
        try (ChunkStore store = ChunkStore.open(x.manifest(), out)) {
            assertEquals(LastStop.UNCLEAN, store.lastStop(), "its stamps changed since the clean close");
            assertEquals(new Recheck(1, 1), store.recheck());
            assertFalse(store.isVerified(0));
            x.store(store, 0, 2, 3);
            assertArrayEquals(x.bytes(), Files.readAllBytes(store.finish()));
        }
    }

    @Test
    void aRunStoppedBetweenTheLinkAndTheUnlinkKeepsTheNameItTook() throws Exception {
        Content x = content("x", "video.mkv", 4);
        Path out = dir.resolve("out");
        ChunkStore first = ChunkStore.open(x.manifest(), out);
        x.store(first, 0, 1, 2, 3);
        // As if killed in finish(), after the hard link to the final name and before the part's unlink.
        Files.createLink(out.resolve("video.mkv"), first.partFile());
        try (ChunkStore again = ChunkStore.open(x.manifest(), out)) {
            assertEquals(new Recheck(4, 0), again.recheck());
            assertEquals(out.resolve("video.mkv"), again.finish());
        }
        try (var names = Files.list(out)) {
            assertEquals(List.of("video.mkv"), names.map(p -> p.getFileName().toString()).toList());
        }
        assertArrayEquals(x.bytes(), Files.readAllBytes(out.resolve("video.mkv")));
    }
}
