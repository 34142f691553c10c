package dev.kadshare.transfer;

/** How a connection to a peer was made, for status. */
public enum PeerRoute {
    /** Dialled, or accepted. */
    DIRECT,
    /** Dialled from our listening port after a rendezvous introduced the peer, while it dialled us: hole punching. */
    PUNCHED,
    /** Through a relay, both ends connected to it (the link is still end to end). */
    RELAYED
}
