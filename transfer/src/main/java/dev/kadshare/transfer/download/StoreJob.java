package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.Manifest;
import java.net.InetSocketAddress;

/**
 * Work for a download's {@link Disk}, which owns its store. Each job is answered by one {@link StoreResult}: the
 * one named below, or {@link StoreResult.JobFailed}.
 */
public sealed interface StoreJob {
    /** Opens the partial download an earlier run left, if any: {@link StoreResult.Resumed}. */
    record Resume() implements StoreJob {
    }

    /**
     * Opens the store of {@code manifest}, just fetched and checked: resumes or adopts what is on disk, else
     * creates it ({@link StoreResult.Opened}).
     */
    record Open(Manifest manifest) implements StoreJob {
    }

    /** Hashes the chunks the store marks again, after an unclean stop: {@link StoreResult.Rechecked}. */
    record Recheck() implements StoreJob {
    }

    /**
     * Hashes chunk {@code index} from {@code from} and, if it matches its hash, writes and records it
     * ({@link StoreResult.Stored}, or {@link StoreResult.Mismatched}); the disk frees {@code body} either way.
     */
    record HashAndWrite(int index, ChunkBody body, InetSocketAddress from) implements StoreJob {
    }

    /** Every chunk is stored: forces the data and moves the content into place ({@link StoreResult.Moved}). */
    record Finish() implements StoreJob {
    }

    /** Closes the store, kept for a later resume and marked as cleanly stopped: {@link StoreResult.Closed}. */
    record Close() implements StoreJob {
    }

    /** Deletes the partial content and its record, open or closed: {@link StoreResult.Discarded}. */
    record Discard() implements StoreJob {
    }
}
