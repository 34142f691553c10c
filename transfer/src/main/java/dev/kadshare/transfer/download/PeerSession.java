package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.peers.SourceTally;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.BitSet;
import java.util.Optional;

/**
 * One peer of a download and the link to it: the one place its session state lives. What it holds and whether it
 * choked us are kept here only until the download's {@code Swarm} exists, which keeps them from then on.
 * Confined to the download's thread.
 */
final class PeerSession {
    final InetSocketAddress address;
    LinkState state = LinkState.CANDIDATE;
    /** The current connection, from its dial until it is reported closed. */
    Optional<Link> link = Optional.empty();
    PeerId nodeId = PeerId.UNKNOWN;
    /** The current connection goes through a relay: its far end is proven to be {@link #nodeId}, not at the address. */
    boolean relayed;
    /** The addresses its PEERS named that were admitted, per subnet: one source for the dial policy. */
    final SourceTally named = new SourceTally();
    /** It said HELLO once: worth keeping even while its connection is closed. */
    boolean everReady;
    /** GOODBYEs since it was last ready: each is answered by a later dial, up to {@link PeerBook#REDIALS}. */
    int goodbyes;
    /** Its BITFIELD arrived on this connection: a second is a protocol error, and so is a HAVE before it. */
    boolean sentBitfield;
    /** Before the swarm exists: the BITFIELD and the HAVEs since, handed to the swarm when it starts. */
    Optional<BitSet> heldBeforeSwarm = Optional.empty();
    /** Before the swarm exists: how many bytes its BITFIELD had, checked against the manifest once it is known. */
    int bitfieldBytes;
    /** Before the swarm exists: the peer choked us on this connection. */
    boolean chokedBeforeSwarm;
    /** Since when its requests have been timing out with no chunk from it; empty once one came. */
    Optional<Instant> stalledSince = Optional.empty();
    /** It did not answer the manifest request on this connection in time: not asked for it again. */
    boolean manifestUnanswered;
    /** Reading from the link is paused for a rate limit. */
    boolean readingPaused;
    /** Rate-limit pauses so far: only the timer of the latest resumes reading. */
    int pauses;
    long bytesReceived;
    int badChunks;

    PeerSession(InetSocketAddress address) {
        this.address = address;
    }

    /** True when {@code other} is this peer's current connection. */
    boolean isOn(Link other) {
        return link.isPresent() && link.get().equals(other);
    }

    /** The peer said HELLO on this connection: a fresh session, nothing carried over from an earlier one. */
    void ready(PeerId id) {
        nodeId = id;
        state = LinkState.READY;
        everReady = true;
        goodbyes = 0;
        sentBitfield = false;
        heldBeforeSwarm = Optional.empty();
        bitfieldBytes = 0;
        chokedBeforeSwarm = false;
        manifestUnanswered = false;
        stalledSince = Optional.empty();
    }

    PeerProgress snapshot() {
        return new PeerProgress(address, bytesReceived, badChunks, state == LinkState.DROPPED, nodeId,
                state == LinkState.READY);
    }
}
