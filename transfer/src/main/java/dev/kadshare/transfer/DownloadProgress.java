package dev.kadshare.transfer;

import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of a download, safe to read from any thread.
 *
 * @param manifest empty until a manifest matching the content id has been received
 * @param chunksTotal 0 until the manifest is known
 * @param bytesDownloaded bytes of verified chunks
 */
public record DownloadProgress(ContentId contentId, Optional<Manifest> manifest, int chunksVerified,
        int chunksTotal, long bytesDownloaded, List<PeerProgress> peers) {
    public DownloadProgress {
        peers = List.copyOf(peers);
    }

    /** The file name once the manifest is known. */
    public Optional<String> name() {
        return manifest.map(Manifest::name);
    }
}
