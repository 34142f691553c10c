package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.store.Placement;
import dev.kadshare.transfer.wire.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;

/** What a download asks of whoever runs it, in order: everything {@link Download#handle} returns. */
public sealed interface DownloadAction {
    /**
     * Open a connection for {@code link}; report {@link DownloadEvent.Connected}, or {@link DownloadEvent.LinkClosed}
     * if it cannot be made.
     */
    record Dial(Link link) implements DownloadAction {
    }

    /**
     * Send {@code message} on {@code link}. Sends of one {@link Download#handle} call may go out together, after
     * the last of them: a burst of REQUESTs is one write.
     */
    record Send(Link link, Message message) implements DownloadAction {
    }

    /** Close {@code link}; its {@link DownloadEvent.LinkClosed} is still expected. */
    record CloseLink(Link link) implements DownloadAction {
    }

    /** Stop reading from {@code link} (a rate limit is in debt), so the peer's TCP backs off. */
    record PauseReading(Link link) implements DownloadAction {
    }

    /** Read from {@code link} again. */
    record ResumeReading(Link link) implements DownloadAction {
    }

    /** Hand {@code job} to the {@link Disk}. */
    record Store(StoreJob job) implements DownloadAction {
    }

    /** Report {@link DownloadEvent.TimerFired} with {@code timer} once {@code after} has passed. */
    record Schedule(Timer timer, Duration after) implements DownloadAction {
    }

    /** The progress changed: {@link Download#progress()} has a new snapshot to show. */
    record PublishProgress() implements DownloadAction {
    }

    /**
     * Milestone: the manifest is known and the store open and checked. The chunks in {@code verified}, at
     * {@code partRoot}, can be served to other downloaders from now on, and each {@link ChunkVerified} after.
     */
    record ManifestKnown(Manifest manifest, Path partRoot, BitSet verified) implements DownloadAction {
        public ManifestKnown {
            verified = (BitSet) verified.clone();
        }
    }

    /** Chunk {@code index} is verified and stored. */
    record ChunkVerified(int index) implements DownloadAction {
    }

    /** Milestone, once: the download holds a verified chunk (at once, if it resumed with some). */
    record FirstChunk() implements DownloadAction {
    }

    /**
     * Node {@code node} holds exactly {@code chunks} (its BITFIELD), as the serving side may want to know: links are
     * one-way, so it would not hear it otherwise.
     */
    record PeerHolds(PeerId node, BitSet chunks) implements DownloadAction {
        public PeerHolds {
            chunks = (BitSet) chunks.clone();
        }
    }

    /** Node {@code node} now holds chunk {@code index} too (its HAVE). */
    record PeerHoldsChunk(PeerId node, int index) implements DownloadAction {
    }

    /** Milestone: the content is complete, verified and at {@code path}, written there or found there. */
    record Finished(Path path, Placement placement) implements DownloadAction {
    }

    /**
     * Milestone: the download gave up ({@code reason}, one line); the partial download is kept for a resume.
     * {@code cause} says whether other peers could help.
     */
    record Failed(String reason, FailureCause cause) implements DownloadAction {
    }

    /**
     * Milestone, last: the download has let go of its files (closed for a resume, deleted, or moved into place);
     * the same content may be started again in the same directory.
     */
    record Stopped() implements DownloadAction {
    }
}
