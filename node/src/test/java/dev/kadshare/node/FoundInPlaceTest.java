package dev.kadshare.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content a download finds whole in place is the user's, taken as it is: removing the transfer with its data leaves
 * it, as it leaves a shared original, before a restart and after one; only deleting the original deletes it.
 */
class FoundInPlaceTest {
    @TempDir
    Path dir;

    @Test
    void removingTheDataOfContentFoundInPlaceLeavesTheUsersFile() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/song.bin"), 700_000, 5);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path usersOwn = Files.copy(original, out.resolve("song.bin"));
        Path usersOther = Files.copy(original, Files.createDirectories(dir.resolve("other")).resolve("song.bin"));
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of())) {
            MagnetLink link = MagnetLink.parse(a.share(original).get(30, TimeUnit.SECONDS).link());
            String id = link.contentId().toHex();
            try (Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()))) {
                b.bootstrapped().get(10, TimeUnit.SECONDS);
                assertEquals(usersOwn, b.get(link, out).done().get(60, TimeUnit.SECONDS), "taken as it is");
                Removal removal = b.remove(id, true).orElseThrow();
                assertTrue(Files.exists(usersOwn), "the download never wrote it: not its data to delete");
                assertEquals(usersOwn.toString(), removal.originalKept());
                assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(usersOwn));

                assertEquals(usersOther, b.get(link, usersOther.getParent()).done().get(60, TimeUnit.SECONDS));
            }
            // What the download found is still known as the user's after a restart.
            try (Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()))) {
                assertEquals(usersOther.toString(), b.remove(id, true).orElseThrow().originalKept());
                assertTrue(Files.exists(usersOther), "still the user's after a restart");
                assertEquals(usersOther, b.get(link, usersOther.getParent()).done().get(60, TimeUnit.SECONDS));
                Removal asked = b.remove(id, true, true).orElseThrow();
                assertTrue(asked.originalDeleted());
                assertFalse(Files.exists(usersOther), "deleted when the original was asked to go");
            }
        }
    }
}
