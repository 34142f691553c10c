package dev.kadshare.transfer.store;

/** What becomes of a download's sidecar once its content is moved into place. */
public enum AfterMove {
    /** Deleted at once: nothing else records the download. */
    DELETE_SIDECAR,
    /**
     * Kept, naming where the content went, until {@link ChunkStore#settle}: for a caller that records the completion
     * itself (a node's transfer catalog) and settles once that record is durable, so that a kill in between still
     * finds the content as the download's own.
     */
    KEEP_SIDECAR
}
