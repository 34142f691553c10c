package dev.kadshare.transfer.netty;

import java.util.List;

/**
 * One file's span of a chunk to send: opened when the chunk was handed out ({@link FileSpanRegion}, for a download's
 * own files, which its move into place renames: an open file survives the rename), or only when its turn to be sent
 * comes ({@link ServedSpan}, for shared files, which nothing of ours moves).
 */
sealed interface ChunkPart permits FileSpanRegion, ServedSpan {
    /** Its bytes. */
    long count();

    /** Closes the files of those opened, for parts that will not be sent. */
    static void releaseAll(List<ChunkPart> parts) {
        for (ChunkPart part : parts) {
            if (part instanceof FileSpanRegion region) {
                region.release();
            }
        }
    }
}
