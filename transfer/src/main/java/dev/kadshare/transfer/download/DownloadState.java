package dev.kadshare.transfer.download;

/** Where a download stands. */
public enum DownloadState {
    /** Connecting to peers and fetching the manifest (skipped when resuming from a sidecar). */
    FETCHING_MANIFEST,
    /** Fetching chunks. */
    DOWNLOADING,
    /** Every chunk verified and the file moved into place. */
    COMPLETE,
    /** Gave up (no usable peer, disk error); the partial file stays for a resume. */
    FAILED,
    /** Stopped by a cancel or an abandon ({@link DownloadEvent.Cancel}, {@link DownloadEvent.Abandon}). */
    CANCELLED
}
