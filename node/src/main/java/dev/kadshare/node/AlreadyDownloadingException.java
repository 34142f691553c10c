package dev.kadshare.node;

import dev.kadshare.node.transfers.TransferState;
import java.nio.file.Path;

/**
 * A download was asked into one directory while the node has a transfer of the same content into another: it says
 * where, in what state, and that removing it first frees the content for another directory.
 */
public final class AlreadyDownloadingException extends RuntimeException {
    public AlreadyDownloadingException(String contentId, Path outDir, TransferState state) {
        super(message(contentId, outDir, state), null, false, false);
    }

    private static String message(String contentId, Path outDir, TransferState state) {
        String elsewhere = "; remove it first to download it elsewhere";
        return switch (state) {
            case SEARCHING, DOWNLOADING -> "already downloading " + contentId + " into " + outDir;
            case PAUSED -> contentId + " is a paused download into " + outDir + " (resume it there)" + elsewhere;
            case FAILED -> contentId + " failed downloading into " + outDir + elsewhere;
            case COMPLETE -> contentId + " is already downloaded into " + outDir + elsewhere;
        };
    }
}
