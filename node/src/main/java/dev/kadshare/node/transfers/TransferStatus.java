package dev.kadshare.node.transfers;

import java.util.List;

/** A snapshot of one download, serialised as JSON by the control API. */
public record TransferStatus(
        String contentId,
        String name,
        long size,
        TransferState state,
        String outDir,
        String path,
        String error,
        int chunksVerified,
        int chunksTotal,
        long bytesDownloaded,
        long bytesUploaded,
        LookupStatus lastLookup,
        List<PeerStatus> peers) {

    /**
     * Adds what this node uploaded of the content. Uploads are counted per incoming connection, whose address
     * is the remote's outgoing one, so uploaders are listed after the peers we download from.
     */
    public TransferStatus withUploads(long uploaded, List<PeerStatus> uploaders) {
        List<PeerStatus> all = new java.util.ArrayList<>(peers);
        all.addAll(uploaders);
        return new TransferStatus(contentId, name, size, state, outDir, path, error, chunksVerified, chunksTotal,
                bytesDownloaded, uploaded, lastLookup, List.copyOf(all));
    }
}
