package dev.kadshare.transfer;

/** Why this node refused or closed a peer connection of its own accord: each one is counted by reason. */
public enum ConnectionDrop {
    /** The server already holds its cap of connections in total. */
    TOTAL_CAP,
    /** The server already holds its cap of connections from this IP address. */
    IP_CAP,
    /**
     * The address kept connecting over its cap ({@link FloodBan}): from now on the kernel drops what it sends to the
     * listener, for the ban's term. Counted once per ban: the kernel's drops are not seen here.
     */
    FLOOD_BANNED,
    /** The content asked for already has its cap of connections. */
    CONTENT_CAP,
    /** The peer (its node id or IP address) is banned for sending bad data. */
    BANNED,
    /** The link handshake did not finish in time. */
    HANDSHAKE_TIMEOUT,
    /** The link handshake failed: malformed, undecryptable, or a bad identity proof. */
    HANDSHAKE_FAILED,
    /**
     * An IK handshake on a static key the DHT named for the address failed: the hint was wrong or stale. Not held
     * against the peer; the same dial is made again with XX at once.
     */
    KEY_HINT_REFUTED,
    /** The peer proved another node id than the one expected at its address. */
    WRONG_IDENTITY,
    /** The peer speaks another link or protocol version. */
    VERSION_MISMATCH,
    /** No HELLO came in time after the handshake. */
    HELLO_TIMEOUT,
    /** Nothing was sent or received for the idle timeout. */
    IDLE,
    /** The peer kept asking without reading: its outbound budget ran out. */
    OUTBOUND_BUDGET,
    /** A link record did not authenticate (tampered, replayed, out of order) or the stream ended inside one. */
    BAD_RECORD
}
