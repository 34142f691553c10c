package dev.kadshare.transfer;

import dev.kadshare.transfer.content.Manifest;
import java.nio.file.Path;
import java.util.Objects;

/** A file being served, with the manifest that was computed from it. */
public record SharedContent(Manifest manifest, Path file) {
    public SharedContent {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(file, "file");
    }
}
