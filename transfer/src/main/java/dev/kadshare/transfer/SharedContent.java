package dev.kadshare.transfer;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.Naming;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file (or directory) being served, with the manifest that describes it, how the manifest's names map to names
 * on disk ({@link Naming#ORIGINAL} for what this node shared, {@link Naming#LOCAL} for what it downloaded), and its
 * files' stamps from when it was hashed: a file that changed since is not served.
 */
public record SharedContent(Manifest manifest, Path file, Naming naming, ContentStamps stamps) {
    public SharedContent {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(stamps, "stamps");
    }

    /** Content shared from the sharer's own files, named exactly as the manifest says, its files not stamped. */
    public SharedContent(Manifest manifest, Path file) {
        this(manifest, file, Naming.ORIGINAL, ContentStamps.NONE);
    }
}
