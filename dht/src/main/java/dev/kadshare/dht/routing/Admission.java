package dev.kadshare.dht.routing;

/** What the routing table did with a contact that answered us. */
public enum Admission {
    /** New contact, there was room in its bucket. */
    ADDED,
    /** Already known; moved to the most-recently-seen end. */
    REFRESHED,
    /** Its bucket is full; the old contacts are kept and it waits in the replacement cache (ping-then-evict may later act on this). */
    BUCKET_FULL,
    /** Its network (/24, /64) already has as many contacts as allowed in its bucket or in the table; not stored. */
    SUBNET_LIMIT,
    /** Its id is not the one its key and address give it ({@code IdRule}); not stored. */
    ID_NOT_BOUND,
    /** Our own id; never stored. */
    SELF
}
