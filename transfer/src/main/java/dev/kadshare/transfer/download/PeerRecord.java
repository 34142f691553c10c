package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.PeerId;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/** What a download knows about one peer address. Event-loop confined. */
final class PeerRecord {
    final InetSocketAddress address;
    LinkState state = LinkState.CANDIDATE;
    Optional<Channel> channel = Optional.empty();
    /** The peer's BITFIELD plus later HAVEs; empty until its BITFIELD arrives on this connection. */
    Optional<BitSet> has = Optional.empty();
    boolean choked;
    /** It said HELLO once: worth keeping even while its connection is closed. */
    boolean everReady;
    PeerId nodeId = PeerId.UNKNOWN;
    /** Re-enables reading once a rate-limit debt is paid; replaced by each newer, longer wait. */
    Optional<ScheduledFuture<?>> resumeReading = Optional.empty();
    long bytesReceived;
    int badChunks;
    /** GOODBYEs since it was last ready: each is answered by a later dial, up to {@link PeerBook#REDIALS}. */
    int goodbyes;

    PeerRecord(InetSocketAddress address) {
        this.address = address;
    }

    PeerProgress snapshot() {
        return new PeerProgress(address, bytesReceived, badChunks, state == LinkState.DROPPED, nodeId);
    }
}
