package dev.kadshare.transfer.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Paths of a content reached from its root without a symbolic link on the way, and its files opened for reading only
 * so. NOFOLLOW_LINKS guards only a path's last name: a directory of a directory share swapped for a link would still
 * be followed, to write someone else's file or to hand strangers whatever the link names. Links above the root are
 * the user's own layout; a node's roots are never links (a share's path is resolved when it is shared, a download
 * makes its own).
 */
public final class LinkFreePaths {
    private LinkFreePaths() {
    }

    /** Whether no symbolic link lies at {@code dir} nor at any directory above it up to {@code root}, included. */
    public static boolean linkFree(Path root, Path dir) {
        for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) {
            if (Files.isSymbolicLink(d)) {
                return false;
            }
        }
        return true;
    }

    /** Throws unless {@code file} of the content at {@code root} lies in a directory {@link #linkFree} from the root. */
    public static void requireLinkFree(Path root, Path file) throws IOException {
        if (!linkFree(root, file.getParent())) {
            throw new IOException(file + " lies behind a symbolic link below " + root + "; never read nor written through");
        }
    }

    /**
     * Opens {@code file} of the content at {@code root} (the file itself for a single-file content) for reading,
     * refusing a symbolic link at its name, at the root, or between them. The way to the file is checked just after the
     * open: a link taken away between the two goes unseen, a race Java cannot close (it has no openat with O_NOFOLLOW
     * at each step); what it guards against is a link left in place.
     */
    public static FileChannel openForReading(Path root, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            requireLinkFree(root, file);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
