package dev.kadshare.dht.routing;

/** What the routing table did with a contact that answered us. */
public enum Admission {
    /** New contact, there was room in its bucket. */
    ADDED,
    /** Already known; moved to the most-recently-seen end. */
    REFRESHED,
    /** Its bucket is full; the old contacts are kept (ping-then-evict may later act on this). */
    BUCKET_FULL,
    /** Our own id; never stored. */
    SELF
}
