package dev.kadshare.transfer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a served content's files are now: a download's partial content moves into place once, from its partial name
 * to its final one, and a chunk handed out before the move may be read after it. Thread-safe: the download's store
 * says where the content went the moment it is there (before the partial name goes), and connections read it on
 * their own loops.
 */
public final class ContentPlace {
    private volatile Path root;

    private ContentPlace(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** A content at {@code root}: its file, or its directory. */
    public static ContentPlace at(Path root) {
        return new ContentPlace(root);
    }

    /** Its file or directory now. */
    public Path root() {
        return root;
    }

    /** The content is at {@code newRoot} from now on. */
    public void movedTo(Path newRoot) {
        root = Objects.requireNonNull(newRoot, "newRoot");
    }

    /** Where {@code file}, a file of the content when it was at {@code then}, is when the content is at {@code now}. */
    public static Path rebased(Path file, Path then, Path now) {
        return now.equals(then) ? file : now.resolve(then.relativize(file));
    }
}
