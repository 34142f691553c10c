package dev.kadshare.node.transfers;

/** Where a download stands, as shown by status and polled by {@code kadshare get}. */
public enum TransferState {
    /**
     * Looking up peers in the DHT (and trying the link's peer hints), or, after a setback, waiting to look again;
     * the status's {@code reason} says why and when.
     */
    SEARCHING,
    /** Fetching the manifest and chunks from peers. */
    DOWNLOADING,
    /** Stopped by the user; {@code resume} continues it. */
    PAUSED,
    /** Every chunk verified and the file renamed into place; now seeding. */
    COMPLETE,
    /** Given up; the status's {@code error} says why, and {@code resume} tries again. */
    FAILED
}
