package dev.kadshare.node.discovery;

import java.time.Instant;

/** What {@link LocalDiscovery} asks its edge to do. */
public sealed interface DiscoveryAction {
    /** Multicast {@code packet} to the group out of the interface named {@code interfaceName}. */
    record Send(String interfaceName, byte[] packet) implements DiscoveryAction {}

    /**
     * A node on the LAN made itself known; {@code firstSeen} when it was not known (or had expired) before, so the
     * node pings it into its routing table once, not at every announce.
     */
    record PeerFound(LanPeer peer, boolean firstSeen) implements DiscoveryAction {}

    /** Deliver a {@link DiscoveryEvent.Tick} at {@code at} (replacing any earlier request). */
    record WakeAt(Instant at) implements DiscoveryAction {}
}
