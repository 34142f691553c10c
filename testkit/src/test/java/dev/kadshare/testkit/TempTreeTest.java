package dev.kadshare.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempTreeTest {
    @TempDir
    Path outside;

    @Test
    void closeDeletesEverythingBelowButNotWhatALinkPointsTo() throws Exception {
        Path kept = Files.writeString(outside.resolve("kept.txt"), "not ours");
        Path root;
        try (TempTree tree = TempTree.createIn(outside, "tree-")) {
            root = tree.root();
            Files.writeString(Files.createDirectories(root.resolve("a/b")).resolve("f.txt"), "x");
            Files.createSymbolicLink(root.resolve("a/link"), kept);
            Files.createSymbolicLink(root.resolve("dirlink"), outside);
        }
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(kept));
    }
}
