package dev.kadshare.testkit;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A new temp directory that is deleted, with everything below it, on close. */
public final class TempTree implements AutoCloseable {
    private final Path root;

    private TempTree(Path root) {
        this.root = root;
    }

    /** A directory named {@code prefix...} in the system's temp dir. */
    public static TempTree create(String prefix) throws IOException {
        return new TempTree(Files.createTempDirectory(prefix));
    }

    /** A directory named {@code prefix...} in {@code parent}. */
    public static TempTree createIn(Path parent, String prefix) throws IOException {
        return new TempTree(Files.createTempDirectory(parent, prefix));
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        // Links below the root are removed, not followed. Where the file system cannot rule out a race with another
        // writer while doing so, delete anyway: nobody else writes in a temp dir of ours.
        MoreFiles.deleteRecursively(root, RecursiveDeleteOption.ALLOW_INSECURE);
    }
}
