package dev.kadshare.transfer.download;

/** Why a download gave up, which says whether trying again can help. */
public enum FailureCause {
    /** No peer could help (none left, none with a good manifest, bad data): a later search may find others. */
    PEERS,
    /** The disk refused (directory, space, a name, a write, the move into place): no other peer can change that. */
    DISK
}
