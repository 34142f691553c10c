package dev.kadshare.transfer.store;

/** How the names of a directory share's files map to names on disk. */
public enum Naming {
    /** Exactly the manifest's names: the sharer's own files, which the manifest was made from. */
    ORIGINAL,
    /** The manifest's names made safe by {@link LocalName}: what a download creates. */
    LOCAL
}
