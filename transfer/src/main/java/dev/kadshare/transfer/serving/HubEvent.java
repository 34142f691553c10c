package dev.kadshare.transfer.serving;

import dev.kadshare.transfer.content.PeerId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

/** What happens to a hub: everything {@link ServingHub#handle} takes, from its sessions, its timers and the download. */
public sealed interface HubEvent {
    /**
     * A peer at {@code remote} said HELLO for this content (the session checked its version): {@code node} is the
     * node id it gave, {@code serving} where it serves the content itself (its address, the port it named).
     */
    record Joined(SessionId session, PeerId node, InetSocketAddress remote, Optional<InetSocketAddress> serving)
            implements HubEvent {
    }

    /** The peer asked for the manifest. */
    record ManifestRequested(SessionId session) implements HubEvent {
    }

    /** The peer asked for chunk {@code index} (any number: it is checked here). */
    record Requested(SessionId session, int index) implements HubEvent {
    }

    /** The peer took back its request for chunk {@code index}. */
    record Cancelled(SessionId session, int index) implements HubEvent {
    }

    /**
     * The session wrote the chunk of a {@link HubAction.SendChunk} to its connection, which can take more if
     * {@code writable}.
     */
    record ChunkWritten(SessionId session, boolean writable) implements HubEvent {
    }

    /** The session's connection can take more ({@code writable}) or its outbound buffer is full. */
    record WritabilityChanged(SessionId session, boolean writable) implements HubEvent {
    }

    /** The chunk of a {@link HubAction.SendChunk} could not be read (its files are gone); nothing of it was sent. */
    record ChunkUnreadable(SessionId session, int index) implements HubEvent {
    }

    /** The session's connection closed. */
    record Left(SessionId session) implements HubEvent {
    }

    /** A timer the hub asked for fired. */
    record TimerFired(HubTimer timer) implements HubEvent {
    }

    /** This node's download verified chunk {@code index}: tell the peers. */
    record ChunkAdded(int index) implements HubEvent {
    }

    /** This node's download heard that {@code node} holds exactly {@code chunks} (its BITFIELD). */
    record PeerHolds(PeerId node, BitSet chunks) implements HubEvent {
        public PeerHolds {
            chunks = (BitSet) chunks.clone();
        }
    }

    /** This node's download heard that {@code node} now holds chunk {@code index} (its HAVE). */
    record PeerHoldsChunk(PeerId node, int index) implements HubEvent {
    }

    /** The download is about to move its files into place: read nothing from them until {@link MovedTo}. */
    record Moving() implements HubEvent {
    }

    /** The content's files are at {@code root} now (or still where they were, if the move failed). */
    record MovedTo(Path root) implements HubEvent {
    }

    /** This node just shared the content and is its only holder: seed it initially from now on. */
    record SeedInitially() implements HubEvent {
    }
}
