package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downloaded copy the user edited since is the user's work (as a new download goes beside it, and the library drops
 * it at a restart): {@code remove --delete-data} leaves it.
 */
class RemoveEditedCopyTest {
    @TempDir
    Path dir;

    @Test
    void removingTheDataOfADownloadLeavesACopyTheUserEditedSince() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/notes.bin"), 500_000, 7);
        Path out = dir.resolve("out");
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
                Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            MagnetLink link = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
            Path copy = b.get(link, out).done().get(60, TimeUnit.SECONDS);
            // The user works on the downloaded copy: other bytes, saved later.
            byte[] edited = RandomFiles.bytes(500_000, 8);
            Files.write(copy, edited);
            Files.setLastModifiedTime(copy, FileTime.fromMillis(Files.getLastModifiedTime(copy).toMillis() + 5_000));

            Removal removal = b.remove(link.contentId().toHex(), true).orElseThrow();

            assertEquals(List.of(copy.toString()), removal.editedKept(), "said so");

            assertTrue(Files.exists(copy), "the user's edited copy is not the download's data");
            assertArrayEquals(edited, Files.readAllBytes(copy));
        }
    }
}
