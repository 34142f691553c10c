package dev.kadshare.transfer.download;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of a download, safe to read from any thread.
 *
 * @param manifest empty until a manifest matching the content id has been received
 * @param chunksTotal 0 until the manifest is known
 * @param bytesDownloaded bytes of verified chunks (resumed ones included)
 * @param state where the download stands
 */
public record DownloadProgress(ContentId contentId, Optional<Manifest> manifest, int chunksVerified,
        int chunksTotal, long bytesDownloaded, List<PeerProgress> peers, DownloadState state) {
    public DownloadProgress {
        peers = List.copyOf(peers);
    }

    /** A snapshot without a state: fetching the manifest until one is known, then downloading. */
    public DownloadProgress(ContentId contentId, Optional<Manifest> manifest, int chunksVerified, int chunksTotal,
            long bytesDownloaded, List<PeerProgress> peers) {
        this(contentId, manifest, chunksVerified, chunksTotal, bytesDownloaded, peers,
                manifest.isPresent() ? DownloadState.DOWNLOADING : DownloadState.FETCHING_MANIFEST);
    }

    /** Content length once the manifest is known. */
    public Optional<Long> size() {
        return manifest.map(Manifest::length);
    }

    /** The file name once the manifest is known. */
    public Optional<String> name() {
        return manifest.map(Manifest::name);
    }
}
