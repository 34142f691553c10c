package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downloaded copy the user deleted is fetched again when asked for again, here or elsewhere, instead of being
 * reported complete at a path where nothing is; a copy still in place stays the one answer.
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
            Node b = pair.b();
            MagnetLink link = pair.link();
            Path file = pair.file();
            Path out = dir.resolve("out");
            Path first = b.get(link, out).done().get(60, TimeUnit.SECONDS);
            Files.delete(first);

            Path second = b.get(link, out).done().get(60, TimeUnit.SECONDS);
            assertEquals(first, second);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(second));
            assertEquals(1, b.status().transfers().size());
            assertEquals(TransferState.COMPLETE, b.status().transfers().get(0).state());
        }
    }

    @Test
    void aDeletedCopyNoLongerHoldsTheContentToItsDirectoryButOneInPlaceDoes() throws Exception {
        try (Pair pair = Pair.sharing(dir, RandomFiles.write(dir.resolve("share/film.bin"), 600_000, 6))) {
            Node b = pair.b();
            MagnetLink link = pair.link();
            Path file = pair.file();
            Path first = b.get(link, dir.resolve("first")).done().get(60, TimeUnit.SECONDS);
            assertThrows(AlreadyDownloadingException.class, () -> b.get(link, dir.resolve("second")),
                    "the copy is in place");

            Files.delete(first);
            Path second = b.get(link, dir.resolve("second")).done().get(60, TimeUnit.SECONDS);
            assertEquals(dir.resolve("second").resolve("film.bin"), second);
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(second));
        }
    }
}
