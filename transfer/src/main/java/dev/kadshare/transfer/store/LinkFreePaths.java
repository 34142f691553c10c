package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Paths below a content's root that are reached from it without a symbolic link on the way, and files opened for
 * reading only so: a served file that someone swapped for a link (or a directory between it and the root) would
 * otherwise hand strangers whatever the link names. Links above the root are the user's own layout.
 */
public final class LinkFreePaths {
    private LinkFreePaths() {
    }

    /** Whether {@code path}, at or below {@code root} (whose resolved path is {@code realRoot}), resolves to where it lies. */
    public static boolean reachedWithoutLinks(Path root, Path realRoot, Path path) throws IOException {
        return path.toRealPath().equals(realRoot.resolve(root.relativize(path)).normalize());
    }

    /**
     * Opens {@code file} of the content at {@code root} (the file itself for a single-file content) for reading,
     * refusing a symbolic link at its name, at the root, or between them: a node's roots are never links (a share's
     * path is resolved when it is shared, a download makes its own). The way to the file is checked just after the
     * open: a link taken away between the two goes unseen, a race Java cannot close (it has no openat with
     * O_NOFOLLOW at each step); what it guards against is a link left in place.
     */
    public static FileChannel openForReading(Path root, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            if (!file.equals(root) && (Files.isSymbolicLink(root)
                    || !reachedWithoutLinks(root, root.toRealPath(), file.getParent()))) {
                throw new IOException(file + " is reached through a symbolic link below " + root);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
