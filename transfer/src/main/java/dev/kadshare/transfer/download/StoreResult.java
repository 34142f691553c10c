package dev.kadshare.transfer.download;

import dev.kadshare.transfer.store.Placement;
import dev.kadshare.transfer.store.Recheck;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/** How a {@link StoreJob} ended, handed back to the download as an event on its own thread. */
public sealed interface StoreResult extends DownloadEvent {
    /** {@link StoreJob.Resume}: the partial download found, or empty if there is none. */
    record Resumed(Optional<StoreState> store) implements StoreResult {
    }

    /** {@link StoreJob.Open}. */
    record Opened(StoreState store) implements StoreResult {
    }

    /** {@link StoreJob.Recheck}: the store as it is now, and what the check found. */
    record Rechecked(StoreState store, Recheck counts) implements StoreResult {
    }

    /** {@link StoreJob.HashAndWrite}: the chunk matched its hash and is written and recorded. */
    record Stored(int index, InetSocketAddress from) implements StoreResult {
    }

    /** {@link StoreJob.HashAndWrite}: the chunk did not match its hash; nothing was written. */
    record Mismatched(int index, InetSocketAddress from) implements StoreResult {
    }

    /** {@link StoreJob.Finish}: the content is at {@code path}, written there or found there. */
    record Moved(Path path, Placement placement) implements StoreResult {
    }

    /** {@link StoreJob.Close}. */
    record Closed() implements StoreResult {
    }

    /** {@link StoreJob.Discard}. */
    record Discarded() implements StoreResult {
    }

    /** {@code job} failed; {@code reason} says what and where, for the download's own failure message. */
    record JobFailed(StoreJob job, String reason) implements StoreResult {
    }
}
