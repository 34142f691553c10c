package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A content as it lies on disk at a root (the file, or the directory of a directory share), looked at without
 * trusting it: whether its files are all there, whether they hold the content, and deleting exactly them.
 */
public final class PlacedContent {
    private final Manifest manifest;
    private final Path root;
    private final ContentLayout layout;

    public PlacedContent(Manifest manifest, Path root, Naming naming) {
        this.manifest = manifest;
        this.root = root;
        this.layout = ContentLayout.of(manifest, root, naming);
    }

    Path root() {
        return root;
    }

    ContentLayout layout() {
        return layout;
    }

    /** Whether anything at all is at the root: a file, a directory, a symbolic link (dangling ones too). */
    boolean occupied() {
        return Files.exists(root, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Whether every file of the content is there as a regular file of its exact length, with no symbolic link
     * on its way from the root (the root included): reading or writing it then touches nothing else.
     */
    boolean intact() throws IOException {
        return condition() instanceof ContentCondition.Whole;
    }

    /**
     * Whether the content is {@linkplain #intact whole} here, or a directory with some files gone or of another
     * length and nothing else amiss (a partial directory the user deleted, cut or replaced files of), or neither.
     */
    ContentCondition condition() throws IOException {
        if (manifest.isDirectory() ? !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                : !Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
            return new ContentCondition.Unusable();
        }
        List<Integer> damaged = new ArrayList<>();
        List<Path> files = layout.files();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (!LinkFreePaths.linkFree(root, file.getParent())) {
                return new ContentCondition.Unusable();
            }
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.size(file) != layout.length(i)) {
                    damaged.add(i);
                }
            } else if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && belowDirectories(file)) {
                damaged.add(i);
            } else {
                return new ContentCondition.Unusable(); // a link, a directory, a device: never replaced
            }
        }
        if (damaged.isEmpty()) {
            return new ContentCondition.Whole();
        }
        // A single file of another length: every chunk is its, none would be kept, and it is left as it is.
        return manifest.isDirectory() ? new ContentCondition.Damaged(List.copyOf(damaged))
                : new ContentCondition.Unusable();
    }

    /** Whether the nearest of {@code file}'s ancestors that exists is a directory: it can be made again there. */
    private boolean belowDirectories(Path file) {
        Path d = file.getParent();
        while (!d.equals(layout.root()) && !Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            d = d.getParent();
        }
        return Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether every chunk hashes as the manifest says. Reads all of it: run it on a worker, never on a loop. */
    boolean verifies() throws IOException {
        try (OpenFiles files = OpenFiles.readOnly(layout)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, manifest.chunkSize()));
            for (int i = 0; i < manifest.chunkCount(); i++) {
                if (!chunkVerifies(files, manifest, i, buffer)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Reads chunk {@code index} from {@code files} into {@code buffer} and checks it against the manifest. */
    static boolean chunkVerifies(OpenFiles files, Manifest manifest, int index, ByteBuffer buffer) throws IOException {
        buffer.clear().limit(manifest.chunkLength(index));
        files.read(manifest.chunkOffset(index), buffer);
        return manifest.verifies(index, buffer.flip());
    }

    /**
     * Deletes the content's files (never through a symbolic link: a link at the root is deleted, not what it
     * points at), then its directories that are left empty. Anything else found in them stays, with the
     * directories that hold it: it was not part of the content. A file that changed since it was stamped as
     * {@code stamps} stays too: edited since, it is the user's work, no longer the content (a file not stamped there,
     * as with {@link ContentStamps#NONE}, is taken as unchanged). Returns the files kept so.
     */
    public List<Path> delete(ContentStamps stamps) throws IOException {
        List<Path> kept = new ArrayList<>();
        if (!manifest.isDirectory() || Files.isSymbolicLink(root) || !Files.isDirectory(root)) {
            deleteUnlessChanged(root, stamps, kept);
            return kept;
        }
        TreeSet<Path> directories = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed()
                .thenComparing(Comparator.naturalOrder()));
        directories.add(root);
        for (Path file : layout.files()) {
            for (Path d = file.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
                directories.add(d);
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && LinkFreePaths.linkFree(root, file.getParent())) {
                deleteUnlessChanged(file, stamps, kept);
            }
        }
        for (Path d : directories) {
            try {
                if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && LinkFreePaths.linkFree(root, d)) {
                    Files.deleteIfExists(d);
                }
            } catch (DirectoryNotEmptyException e) {
                // someone else's files are in it: it stays
            }
        }
        return kept;
    }

    /** Deletes {@code path}, unless it is a regular file changed since {@code stamps}: then it goes into {@code kept}. */
    private static void deleteUnlessChanged(Path path, ContentStamps stamps, List<Path> kept) throws IOException {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || stamps.unchanged(path)) {
            Files.deleteIfExists(path);
        } else {
            kept.add(path);
        }
    }
}
