package dev.kadshare.node;

import java.nio.file.Path;

/** A download was asked into one directory while the same content is already being downloaded into another. */
public final class AlreadyDownloadingException extends RuntimeException {
    public AlreadyDownloadingException(String contentId, Path outDir) {
        super("already downloading " + contentId + " into " + outDir, null, false, false);
    }
}
