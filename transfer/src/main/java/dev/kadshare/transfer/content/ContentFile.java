package dev.kadshare.transfer.content;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One file of a directory share: its path relative to the share's root, '/'-separated, and its length.
 * The constructor rejects every path that could land outside the root (absolute, {@code ..}, {@code .},
 * empty components, backslashes, NUL), so a manifest holding one cannot be built or decoded.
 */
public record ContentFile(String path, long length) {
    public static final int MAX_PATH_BYTES = 4096;

    public ContentFile {
        Objects.requireNonNull(path, "path");
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " for " + path);
        }
        if (path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("path must be relative and non-empty: '" + path + "'");
        }
        // split with -1 keeps trailing empty components, so "a/" and "a//b" are rejected too.
        for (String component : path.split("/", -1)) {
            Manifest.validateName(component);
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("path longer than " + MAX_PATH_BYTES + " bytes: " + path);
        }
    }
}
