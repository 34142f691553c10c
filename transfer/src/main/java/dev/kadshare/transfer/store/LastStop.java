package dev.kadshare.transfer.store;

/** How a partial download's previous run ended, which says whether its sidecar's marks can be trusted. */
public enum LastStop {
    /** Closed cleanly: the data of every marked chunk was forced to disk before the sidecar said so. */
    CLEAN,
    /** Crashed, killed or lost power: a marked chunk's bytes may not have reached the disk. */
    UNCLEAN
}
