package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.download.DownloadProgress;
import io.netty.channel.EventLoop;
import java.util.function.Supplier;

/**
 * The progress a download shows: the latest {@link DownloadProgress} its loop built, for any thread to read.
 * Changes are coalesced, one new snapshot per turn of the loop.
 */
final class PublishedProgress {
    private volatile DownloadProgress latest;
    private final Coalesced publishing;

    /** {@code snapshot} builds a new one; it is called on the loop. */
    PublishedProgress(EventLoop loop, DownloadProgress initial, Supplier<DownloadProgress> snapshot) {
        this.latest = initial;
        this.publishing = new Coalesced(loop, () -> latest = snapshot.get());
    }

    DownloadProgress latest() {
        return latest;
    }

    /**
     * Progress changed: a new snapshot goes out once the loop has handled the events at hand, so a burst of
     * messages (in a big swarm, mostly HAVEs from dozens of peers) costs one snapshot, not one each.
     */
    void publish() {
        publishing.request();
    }

    /** A new snapshot at once: the last one before the download completes must already be out. */
    void publishNow() {
        publishing.runNow();
    }
}
