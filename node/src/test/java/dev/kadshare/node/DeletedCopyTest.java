package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downloaded copy the user deleted is fetched again when asked for again, here or elsewhere, instead of being
 * reported complete at a path where nothing is; so is one the user edited (beside it); a copy still in place and
 * unchanged stays the one answer.
 */
class DeletedCopyTest {
    @TempDir
    Path dir;

    /** A node sharing {@code file} and another that fetches it. */
    private record Pair(Node a, Node b, MagnetLink link, Path file) implements AutoCloseable {
        static Pair sharing(Path dir, Path file) throws Exception {
            Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
            Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()));
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            return new Pair(a, b, MagnetLink.parse(a.share(file).get(30, TimeUnit.SECONDS).link()), file);
        }

        /** {@code b} gets the file into {@code out}: where it landed. */
        Path fetch(Path out) throws Exception {
            return b.get(link, out).done().get(60, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            try (a) {
                b.close();
            }
        }
    }

    @Test
    void askedAgainIntoTheSameDirectoryADeletedCopyIsDownloadedAgain() throws Exception {
        try (Pair pair = Pair.sharing(dir, RandomFiles.write(dir.resolve("share/song.bin"), 700_000, 5))) {
            Path first = pair.fetch(dir.resolve("out"));
            Files.delete(first);

            Path second = pair.fetch(dir.resolve("out"));
            assertEquals(first, second);
            assertArrayEquals(Files.readAllBytes(pair.file()), Files.readAllBytes(second));
            assertEquals(1, pair.b().status().transfers().size());
            assertEquals(TransferState.COMPLETE, pair.b().status().transfers().get(0).state());
        }
    }

    @Test
    void askedAgainAfterAnEditedCopyWasDroppedTheContentIsDownloadedBesideIt() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/clip.bin"), 500_000, 7);
        Path out = dir.resolve("out");
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of())) {
            MagnetLink link = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
            Path first;
            try (Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()))) {
                first = b.get(link, out).done().get(60, TimeUnit.SECONDS);
            }
            // The user edits the copy while b is down; b drops it from what it shares when it starts.
            byte[] edited = RandomFiles.bytes(500_000, 8);
            Files.write(first, edited);
            Files.setLastModifiedTime(first, FileTime.fromMillis(Files.getLastModifiedTime(first).toMillis() + 5_000));
            try (Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()))) {
                b.bootstrapped().get(10, TimeUnit.SECONDS);
                Path second = b.get(link, out).done().get(60, TimeUnit.SECONDS);
                assertEquals(out.resolve("clip (1).bin"), second, "beside the edited copy, never over it");
                assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(second));
                assertArrayEquals(edited, Files.readAllBytes(first), "the user's edit is untouched");
            }
        }
    }

    @Test
    void aDeletedCopyNoLongerHoldsTheContentToItsDirectoryButOneInPlaceDoes() throws Exception {
        try (Pair pair = Pair.sharing(dir, RandomFiles.write(dir.resolve("share/film.bin"), 600_000, 6))) {
            Path first = pair.fetch(dir.resolve("first"));
            assertThrows(AlreadyDownloadingException.class, () -> pair.fetch(dir.resolve("second")),
                    "the copy is in place");

            Files.delete(first);
            Path second = pair.fetch(dir.resolve("second"));
            assertEquals(dir.resolve("second").resolve("film.bin"), second);
            assertArrayEquals(Files.readAllBytes(pair.file()), Files.readAllBytes(second));
        }
    }
}
