package dev.kadshare.simulation.nat;

/** How a host meets the internet: directly, or behind a NAT router of one of the two kinds the kernel's masquerade makes. */
public enum NatKind {
    /** A public address: anyone can reach it. */
    OPEN,
    /**
     * Behind a NAT that keeps the host's source port for every destination (nftables {@code masquerade}): its
     * external endpoint is the same towards everyone, so a peer told of it can punch through.
     */
    PORT_PRESERVING,
    /** Behind a NAT that picks a fresh external port per destination ({@code masquerade fully-random}). */
    SYMMETRIC
}
