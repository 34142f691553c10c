package dev.kadshare.transfer;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.Naming;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file (or directory) being served, with the manifest that describes it and how the manifest's names map to
 * names on disk: {@link Naming#ORIGINAL} for what this node shared, {@link Naming#LOCAL} for what it downloaded.
 */
public record SharedContent(Manifest manifest, Path file, Naming naming) {
    public SharedContent {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(naming, "naming");
    }

    /** Content shared from the sharer's own files, named exactly as the manifest says. */
    public SharedContent(Manifest manifest, Path file) {
        this(manifest, file, Naming.ORIGINAL);
    }
}
