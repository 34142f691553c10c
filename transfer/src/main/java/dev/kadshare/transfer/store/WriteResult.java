package dev.kadshare.transfer.store;

/** What the chunk store did with an offered chunk. */
public enum WriteResult {
    /** Hash matched; the bytes are on disk and the chunk counts as verified. */
    STORED,
    /** The chunk was already verified; nothing was written. */
    ALREADY_VERIFIED,
    /** Wrong length or hash; nothing was written. */
    FAILED_VERIFICATION
}
