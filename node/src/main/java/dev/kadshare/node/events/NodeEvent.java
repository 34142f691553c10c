package dev.kadshare.node.events;

import dev.kadshare.node.NodeStatus.ShareStatus;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.TransferStatus;

/**
 * A change in a node, as {@code GET /v1/events} reports it: {@link #type} is the event's name on the stream, the
 * record's components its JSON data. README's "Events" section documents each.
 */
public sealed interface NodeEvent {
    /** The Server-Sent Events {@code event:} name. */
    String type();

    /** A download was asked for (not one resumed or already running). */
    record TransferAdded(TransferStatus transfer) implements NodeEvent {
        @Override
        public String type() {
            return "transfer-added";
        }
    }

    /** A download's figures moved (chunks, bytes, rates, ETA, why it waits); sampled, a few times a second at most. */
    record TransferProgress(TransferStatus transfer) implements NodeEvent {
        @Override
        public String type() {
            return "transfer-progress";
        }
    }

    /** A download changed state, or its reason or error changed: {@code transfer} says what it is now. */
    record TransferStateChanged(TransferStatus transfer) implements NodeEvent {
        @Override
        public String type() {
            return "transfer-state";
        }
    }

    /** A download was removed. */
    record TransferRemoved(String contentId) implements NodeEvent {
        @Override
        public String type() {
            return "transfer-removed";
        }
    }

    /** A peer started exchanging {@code contentId} with this node (a download's or a share's). */
    record PeerJoined(String contentId, PeerStatus peer) implements NodeEvent {
        @Override
        public String type() {
            return "peer-joined";
        }
    }

    /** A peer is gone from {@code contentId}'s peers, or was dropped for bad data: as last seen. */
    record PeerLeft(String contentId, PeerStatus peer) implements NodeEvent {
        @Override
        public String type() {
            return "peer-left";
        }
    }

    /** The node serves new content: shared by the user, or a download that completed. */
    record ShareAdded(ShareStatus share) implements NodeEvent {
        @Override
        public String type() {
            return "share-added";
        }
    }

    /** The node no longer serves {@code contentId}. */
    record ShareRemoved(String contentId) implements NodeEvent {
        @Override
        public String type() {
            return "share-removed";
        }
    }
}
