package dev.kadshare.transfer.store;

/** How a completed download's content came to be where it is: what deleting "its data" may touch. */
public enum Placement {
    /** Written by the download and moved into place: the node's to delete. */
    WRITTEN,
    /** Found whole in place and taken as it is: the user's file, never written or deleted by the download. */
    FOUND
}
