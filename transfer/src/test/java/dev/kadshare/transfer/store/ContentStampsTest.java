package dev.kadshare.transfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stamps of a content's files: taken, recorded and read back, compared with a tree's, and a change told apart. */
class ContentStampsTest {
    @TempDir
    Path dir;

    private Path tree() throws IOException {
        Path root = dir.resolve("share");
        RandomFiles.write(root.resolve("a.bin"), 70_000, 1);
        RandomFiles.write(root.resolve("sub/b.bin"), 3_000, 2);
        return root;
    }

    private static void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2_000));
    }

    @Test
    void recordedStampsReadBackEqualAndAgreeWithTheTreeTakenBefore() throws IOException {
        Path root = tree();
        ContentStamps before = ContentStamps.ofTree(root);
        ContentLayout layout = ContentLayout.of(Manifest.ofDirectory(root, "share", 65_536), root);
        ContentStamps stamps = ContentStamps.of(layout);
        assertTrue(stamps.agreesWith(before));
        assertEquals(2, stamps.inOrder().size());
        assertEquals(stamps, ContentStamps.recorded(layout, stamps.inOrder()));
        assertTrue(stamps.unchanged(root.resolve("a.bin")));
        assertThrows(IllegalArgumentException.class, () -> ContentStamps.recorded(layout, List.of()));
    }

    @Test
    void aFileWrittenAfterTheTreeWasStampedDisagrees() throws IOException {
        Path root = tree();
        ContentStamps before = ContentStamps.ofTree(root);
        touch(root.resolve("sub/b.bin"));
        ContentLayout layout = ContentLayout.of(Manifest.ofDirectory(root, "share", 65_536), root);
        assertFalse(ContentStamps.of(layout).agreesWith(before));
    }

    @Test
    void aChangeOfLengthOrTimeShowsAndAGoneFileFails() throws IOException {
        Path file = RandomFiles.write(dir.resolve("f.bin"), 10_000, 3);
        ContentStamps stamps = ContentStamps.of(ContentLayout.of(Manifest.ofFile(file, "f.bin"), file));
        touch(file);
        assertFalse(stamps.unchanged(file), "a later time");
        ContentStamps again = ContentStamps.of(ContentLayout.of(Manifest.ofFile(file, "f.bin"), file));
        FileTime time = Files.getLastModifiedTime(file);
        Files.write(file, new byte[9_999]);
        Files.setLastModifiedTime(file, time);
        assertFalse(again.unchanged(file), "another length at the same time");
        Files.delete(file);
        assertThrows(NoSuchFileException.class, () -> again.unchanged(file));
        assertTrue(ContentStamps.NONE.unchanged(file), "nothing stamped: nothing read");
    }
}
